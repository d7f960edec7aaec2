/**
 * The part of WebGL 1 that GlRenderer (gl-renderer.ts, shaders.ts) draws
 * through; the compiler holds them to it. headless-gl's WebGLRenderingContext
 * has it by definition; the EGL addon implements exactly this (handles are
 * plain numbers there), so the drawing code is one for both backends.
 */
export type GlCalls = Pick<
  WebGLRenderingContext,
  | 'getExtension' | 'getContextAttributes' | 'getParameter' | 'getError'
  | 'createShader' | 'shaderSource' | 'compileShader' | 'getShaderParameter' | 'getShaderInfoLog' | 'deleteShader'
  | 'createProgram' | 'attachShader' | 'linkProgram' | 'getProgramParameter' | 'getProgramInfoLog' | 'deleteProgram'
  | 'useProgram' | 'getAttribLocation' | 'getUniformLocation' | 'uniformMatrix4fv' | 'uniform3f'
  | 'createBuffer' | 'deleteBuffer' | 'bindBuffer' | 'bufferData' | 'bufferSubData'
  | 'enableVertexAttribArray' | 'vertexAttribPointer' | 'drawElements'
  | 'viewport' | 'enable' | 'disable' | 'depthFunc' | 'pixelStorei' | 'clearColor' | 'clear' | 'flush' | 'readPixels'
  | GlConstantName
>;

/** The enums the renderer names; the addon takes their values from the GLES headers. */
export const GL_CONSTANT_NAMES = [
  'NO_ERROR', 'VERTEX_SHADER', 'FRAGMENT_SHADER', 'COMPILE_STATUS', 'LINK_STATUS', 'DELETE_STATUS',
  'ARRAY_BUFFER', 'ELEMENT_ARRAY_BUFFER', 'STATIC_DRAW', 'DYNAMIC_DRAW', 'STREAM_DRAW',
  'DEPTH_TEST', 'CULL_FACE', 'BLEND', 'LESS', 'LEQUAL', 'PACK_ALIGNMENT', 'UNPACK_ALIGNMENT',
  'COLOR_BUFFER_BIT', 'DEPTH_BUFFER_BIT', 'FLOAT', 'UNSIGNED_INT', 'UNSIGNED_SHORT', 'UNSIGNED_BYTE',
  'TRIANGLES', 'RGBA', 'VERSION', 'VENDOR', 'RENDERER', 'SHADING_LANGUAGE_VERSION',
] as const;
export type GlConstantName = (typeof GL_CONSTANT_NAMES)[number];
