// An EGL context drawing into an offscreen framebuffer, for batch-render's
// GlRenderer, with no X server: OpenGL ES 3.0, surfaceless
// (EGL_KHR_surfaceless_context), on one EGL device (EGL_EXT_platform_device)
// or Mesa's surfaceless platform. It exposes only the GL calls the renderer
// makes, named and behaving as in WebGL (handles are plain numbers), so the
// same drawing code runs here and on headless-gl.
#include <napi.h>
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

PFNEGLQUERYDEVICESEXTPROC queryDevices;
PFNEGLQUERYDEVICESTRINGEXTPROC queryDeviceString;
PFNEGLQUERYDEVICEATTRIBEXTPROC queryDeviceAttrib;
PFNEGLGETPLATFORMDISPLAYEXTPROC getPlatformDisplay;

// Displays are shared per device within a process; terminate on the last release.
std::map<EGLDisplay, int> displayRefs;

[[noreturn]] void fail(Napi::Env env, const std::string& msg) { throw Napi::Error::New(env, msg); }

std::string eglError() {
  EGLint e = eglGetError();
  const char* name = "";
  switch (e) {
#define E(x) case x: name = #x; break;
    E(EGL_NOT_INITIALIZED) E(EGL_BAD_ACCESS) E(EGL_BAD_ALLOC) E(EGL_BAD_ATTRIBUTE) E(EGL_BAD_CONFIG)
    E(EGL_BAD_CONTEXT) E(EGL_BAD_DISPLAY) E(EGL_BAD_MATCH) E(EGL_BAD_PARAMETER) E(EGL_BAD_SURFACE)
    E(EGL_CONTEXT_LOST)
#undef E
  }
  char buf[64];
  snprintf(buf, sizeof buf, "EGL error 0x%04x%s%s", e, *name ? " " : "", name);
  return buf;
}

std::string str(const char* s) { return s ? s : ""; }

// Whether a space-separated EGL extension list names `name`.
bool hasWord(const std::string& list, const char* name) {
  return (" " + list + " ").find(std::string(" ") + name + " ") != std::string::npos;
}

// The client extensions and their entry points; false when EGL offers no device/platform API.
bool loadClientExtensions() {
  if (getPlatformDisplay) return true;
  queryDevices = (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
  queryDeviceString = (PFNEGLQUERYDEVICESTRINGEXTPROC)eglGetProcAddress("eglQueryDeviceStringEXT");
  queryDeviceAttrib = (PFNEGLQUERYDEVICEATTRIBEXTPROC)eglGetProcAddress("eglQueryDeviceAttribEXT");
  getPlatformDisplay = (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
  return getPlatformDisplay != nullptr;
}

std::vector<EGLDeviceEXT> devices() {
  EGLint n = 0;
  if (!loadClientExtensions() || !queryDevices || !queryDeviceString || !queryDevices(0, nullptr, &n) || n <= 0) return {};
  std::vector<EGLDeviceEXT> devs(n);
  if (!queryDevices(n, devs.data(), &n)) return {};
  devs.resize(n);
  return devs;
}

// index >= 0: that EGL device; -1: Mesa's surfaceless platform.
EGLDisplay openDisplay(Napi::Env env, int index) {
  if (!loadClientExtensions()) fail(env, "EGL has no eglGetPlatformDisplayEXT (EGL_EXT_platform_base missing)");
  EGLDisplay dpy;
  if (index < 0) {
    dpy = getPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  } else {
    std::vector<EGLDeviceEXT> devs = devices();
    if ((size_t)index >= devs.size()) fail(env, "EGL device " + std::to_string(index) + " does not exist (" + std::to_string(devs.size()) + " devices)");
    dpy = getPlatformDisplay(EGL_PLATFORM_DEVICE_EXT, devs[index], nullptr);
  }
  const std::string where = index < 0 ? "the surfaceless platform" : "EGL device " + std::to_string(index);
  if (dpy == EGL_NO_DISPLAY) fail(env, "eglGetPlatformDisplayEXT failed for " + where + " (" + eglError() + ")");
  if (displayRefs[dpy]++ == 0 && !eglInitialize(dpy, nullptr, nullptr)) {
    displayRefs.erase(dpy);
    fail(env, "eglInitialize failed for " + where + " (" + eglError() + ")");
  }
  return dpy;
}

void releaseDisplay(EGLDisplay dpy) {
  if (--displayRefs[dpy] == 0) {
    displayRefs.erase(dpy);
    eglTerminate(dpy);
  }
}

// listDevices(vendors = true): [{ extensions, drmDeviceFile, renderNodeFile, cudaDevice, vendor, version, error }]
Napi::Value ListDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const bool vendors = info.Length() < 1 || info[0].ToBoolean();
  std::vector<EGLDeviceEXT> devs = devices();
  Napi::Array out = Napi::Array::New(env, devs.size());
  for (size_t i = 0; i < devs.size(); i++) {
    Napi::Object d = Napi::Object::New(env);
    std::string ext = str(queryDeviceString(devs[i], EGL_EXTENSIONS));
    auto has = [&](const char* name) { return hasWord(ext, name); };
    d.Set("extensions", ext);
    d.Set("drmDeviceFile", has("EGL_EXT_device_drm") ? Napi::Value(Napi::String::New(env, str(queryDeviceString(devs[i], EGL_DRM_DEVICE_FILE_EXT)))) : env.Null());
    d.Set("renderNodeFile", has("EGL_EXT_device_drm_render_node") ? Napi::Value(Napi::String::New(env, str(queryDeviceString(devs[i], EGL_DRM_RENDER_NODE_FILE_EXT)))) : env.Null());
    EGLAttrib cuda = -1;
    d.Set("cudaDevice", has("EGL_NV_device_cuda") && queryDeviceAttrib && queryDeviceAttrib(devs[i], EGL_CUDA_DEVICE_NV, &cuda) ? Napi::Value(Napi::Number::New(env, (double)cuda)) : env.Null());
    // The vendor is a display property: open the device's display briefly.
    d.Set("vendor", env.Null());
    if (vendors) {
      try {
        EGLDisplay dpy = openDisplay(env, (int)i);
        d.Set("vendor", str(eglQueryString(dpy, EGL_VENDOR)));
        d.Set("version", str(eglQueryString(dpy, EGL_VERSION)));
        releaseDisplay(dpy);
      } catch (const Napi::Error& e) {
        d.Set("error", e.Message());
      }
    }
    out.Set(i, d);
  }
  return out;
}

Napi::Value ClientExtensions(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), str(eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS)));
}

GLuint handle(const Napi::Value& v) { return v.IsNull() || v.IsUndefined() ? 0 : v.As<Napi::Number>().Uint32Value(); }
GLuint u32(const Napi::CallbackInfo& info, int i) { return info[i].As<Napi::Number>().Uint32Value(); }
GLint i32(const Napi::CallbackInfo& info, int i) { return info[i].As<Napi::Number>().Int32Value(); }
GLfloat f32(const Napi::CallbackInfo& info, int i) { return info[i].As<Napi::Number>().FloatValue(); }

// Bytes of a TypedArray / Buffer / ArrayBuffer argument.
struct Bytes { void* data; size_t size; };
Bytes bytes(const Napi::Value& v) {
  if (v.IsTypedArray()) {
    Napi::TypedArray t = v.As<Napi::TypedArray>();
    return {(uint8_t*)t.ArrayBuffer().Data() + t.ByteOffset(), t.ByteLength()};
  }
  if (v.IsArrayBuffer()) return {v.As<Napi::ArrayBuffer>().Data(), v.As<Napi::ArrayBuffer>().ByteLength()};
  throw Napi::TypeError::New(v.Env(), "expected a TypedArray, Buffer or ArrayBuffer");
}

class Context : public Napi::ObjectWrap<Context> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "EglContext", {
#define M(name) InstanceMethod(#name, &Context::name)
      M(destroy), M(eglString), M(getError), M(getParameter), M(createShader), M(shaderSource), M(compileShader),
      M(getShaderParameter), M(getShaderInfoLog), M(deleteShader), M(createProgram), M(attachShader), M(linkProgram),
      M(getProgramParameter), M(getProgramInfoLog), M(deleteProgram), M(useProgram), M(getAttribLocation),
      M(getUniformLocation), M(createBuffer), M(deleteBuffer), M(bindBuffer), M(bufferData), M(bufferSubData),
      M(enableVertexAttribArray), M(vertexAttribPointer), M(uniformMatrix4fv), M(uniform3f), M(viewport), M(enable),
      M(disable), M(depthFunc), M(pixelStorei), M(clearColor), M(clear), M(drawElements), M(flush), M(readPixels),
#undef M
    });
  }

  // new EglContext(width, height, deviceIndex): deviceIndex -1 = surfaceless platform.
  Context(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Context>(info) {
    Napi::Env env = info.Env();
    const GLsizei w = i32(info, 0), h = i32(info, 1);
    dpy_ = openDisplay(env, i32(info, 2));
    try {
      if (!hasWord(str(eglQueryString(dpy_, EGL_EXTENSIONS)), "EGL_KHR_surfaceless_context")) {
        fail(env, "EGL display lacks EGL_KHR_surfaceless_context");
      }
      if (!eglBindAPI(EGL_OPENGL_ES_API)) fail(env, "eglBindAPI(EGL_OPENGL_ES_API) failed (" + eglError() + ")");
      const EGLint cfgAttrs[] = {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT,
                                 EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_ALPHA_SIZE, 8, EGL_NONE};
      EGLConfig cfg;
      EGLint n = 0;
      if (!eglChooseConfig(dpy_, cfgAttrs, &cfg, 1, &n) || n < 1) fail(env, "no EGL config for OpenGL ES 3 with RGBA8 (" + eglError() + ")");
      const EGLint ctxAttrs[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 0, EGL_NONE};
      ctx_ = eglCreateContext(dpy_, cfg, EGL_NO_CONTEXT, ctxAttrs);
      if (ctx_ == EGL_NO_CONTEXT) fail(env, "eglCreateContext(OpenGL ES 3.0) failed (" + eglError() + ")");
      current(env);
      // The framebuffer GlRenderer draws into and reads back; it stays bound.
      GLint maxSize = 0;
      glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &maxSize);
      if (w <= 0 || h <= 0 || w > maxSize || h > maxSize) fail(env, "framebuffer " + std::to_string(w) + "x" + std::to_string(h) + " outside 1.." + std::to_string(maxSize));
      glGenFramebuffers(1, &fbo_);
      glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
      glGenRenderbuffers(2, rb_);
      glBindRenderbuffer(GL_RENDERBUFFER, rb_[0]);
      glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
      glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb_[0]);
      glBindRenderbuffer(GL_RENDERBUFFER, rb_[1]);
      glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
      glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, rb_[1]);
      GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
      if (status != GL_FRAMEBUFFER_COMPLETE) fail(env, "offscreen framebuffer incomplete (status 0x" + hex(status) + ")");
    } catch (...) {
      teardown();
      throw;
    }
  }

  ~Context() override { teardown(); }

 private:
  EGLDisplay dpy_ = EGL_NO_DISPLAY;
  EGLContext ctx_ = EGL_NO_CONTEXT;
  GLuint fbo_ = 0, rb_[2] = {0, 0};

  static std::string hex(GLenum v) { char b[16]; snprintf(b, sizeof b, "%04x", v); return b; }

  // Several contexts can live in one thread: make this one current before each call.
  void current(Napi::Env env) {
    if (ctx_ == EGL_NO_CONTEXT) fail(env, "EGL context used after destroy()");
    if (eglGetCurrentContext() != ctx_ && !eglMakeCurrent(dpy_, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx_)) {
      fail(env, "eglMakeCurrent failed (" + eglError() + ")");
    }
  }

  void teardown() {
    if (ctx_ != EGL_NO_CONTEXT) {
      if (eglMakeCurrent(dpy_, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx_)) {
        if (fbo_) glDeleteFramebuffers(1, &fbo_);
        if (rb_[0]) glDeleteRenderbuffers(2, rb_);
      }
      eglMakeCurrent(dpy_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
      eglDestroyContext(dpy_, ctx_);
      ctx_ = EGL_NO_CONTEXT;
    }
    if (dpy_ != EGL_NO_DISPLAY) {
      releaseDisplay(dpy_);
      dpy_ = EGL_NO_DISPLAY;
    }
  }

  Napi::Value destroy(const Napi::CallbackInfo& info) { teardown(); return info.Env().Undefined(); }

  // eglString(name): EGL_VENDOR / EGL_VERSION / EGL_EXTENSIONS / EGL_CLIENT_APIS of this display.
  Napi::Value eglString(const Napi::CallbackInfo& info) {
    current(info.Env());
    return Napi::String::New(info.Env(), str(eglQueryString(dpy_, u32(info, 0))));
  }

  Napi::Value getError(const Napi::CallbackInfo& info) { current(info.Env()); return Napi::Number::New(info.Env(), glGetError()); }

  Napi::Value getParameter(const Napi::CallbackInfo& info) {
    current(info.Env());
    GLenum p = u32(info, 0);
    if (p == GL_VERSION || p == GL_VENDOR || p == GL_RENDERER || p == GL_SHADING_LANGUAGE_VERSION) {
      return Napi::String::New(info.Env(), str((const char*)glGetString(p)));
    }
    GLint v = 0;
    glGetIntegerv(p, &v);
    return Napi::Number::New(info.Env(), v);
  }

  Napi::Value createShader(const Napi::CallbackInfo& info) { current(info.Env()); return id(info.Env(), glCreateShader(u32(info, 0))); }
  Napi::Value createProgram(const Napi::CallbackInfo& info) { current(info.Env()); return id(info.Env(), glCreateProgram()); }
  Napi::Value createBuffer(const Napi::CallbackInfo& info) {
    current(info.Env());
    GLuint b = 0;
    glGenBuffers(1, &b);
    return id(info.Env(), b);
  }
  static Napi::Value id(Napi::Env env, GLuint v) { return v ? Napi::Value(Napi::Number::New(env, v)) : env.Null(); }

  Napi::Value shaderSource(const Napi::CallbackInfo& info) {
    current(info.Env());
    std::string src = info[1].As<Napi::String>();
    const char* p = src.c_str();
    glShaderSource(handle(info[0]), 1, &p, nullptr);
    return info.Env().Undefined();
  }

  Napi::Value getShaderParameter(const Napi::CallbackInfo& info) {
    current(info.Env());
    GLenum p = u32(info, 1);
    GLint v = 0;
    glGetShaderiv(handle(info[0]), p, &v);
    if (p == GL_COMPILE_STATUS || p == GL_DELETE_STATUS) return Napi::Boolean::New(info.Env(), v != 0);
    return Napi::Number::New(info.Env(), v);
  }

  Napi::Value getProgramParameter(const Napi::CallbackInfo& info) {
    current(info.Env());
    GLenum p = u32(info, 1);
    GLint v = 0;
    glGetProgramiv(handle(info[0]), p, &v);
    if (p == GL_LINK_STATUS || p == GL_DELETE_STATUS || p == GL_VALIDATE_STATUS) return Napi::Boolean::New(info.Env(), v != 0);
    return Napi::Number::New(info.Env(), v);
  }

  Napi::Value getShaderInfoLog(const Napi::CallbackInfo& info) {
    current(info.Env());
    GLuint s = handle(info[0]);
    GLint len = 0;
    glGetShaderiv(s, GL_INFO_LOG_LENGTH, &len);
    std::string log(len > 0 ? len : 1, '\0');
    glGetShaderInfoLog(s, (GLsizei)log.size(), nullptr, &log[0]);
    return Napi::String::New(info.Env(), log.c_str());
  }

  Napi::Value getProgramInfoLog(const Napi::CallbackInfo& info) {
    current(info.Env());
    GLuint p = handle(info[0]);
    GLint len = 0;
    glGetProgramiv(p, GL_INFO_LOG_LENGTH, &len);
    std::string log(len > 0 ? len : 1, '\0');
    glGetProgramInfoLog(p, (GLsizei)log.size(), nullptr, &log[0]);
    return Napi::String::New(info.Env(), log.c_str());
  }

  Napi::Value getAttribLocation(const Napi::CallbackInfo& info) {
    current(info.Env());
    std::string name = info[1].As<Napi::String>();
    return Napi::Number::New(info.Env(), glGetAttribLocation(handle(info[0]), name.c_str()));
  }

  // WebGL gives null for a uniform that does not exist (GL's -1).
  Napi::Value getUniformLocation(const Napi::CallbackInfo& info) {
    current(info.Env());
    std::string name = info[1].As<Napi::String>();
    GLint loc = glGetUniformLocation(handle(info[0]), name.c_str());
    return loc < 0 ? info.Env().Null() : Napi::Value(Napi::Number::New(info.Env(), loc));
  }

  Napi::Value bufferData(const Napi::CallbackInfo& info) {
    current(info.Env());
    if (info[1].IsNumber()) {
      glBufferData(u32(info, 0), (GLsizeiptr)info[1].As<Napi::Number>().Int64Value(), nullptr, u32(info, 2));
    } else {
      Bytes b = bytes(info[1]);
      glBufferData(u32(info, 0), (GLsizeiptr)b.size, b.data, u32(info, 2));
    }
    return info.Env().Undefined();
  }

  Napi::Value bufferSubData(const Napi::CallbackInfo& info) {
    current(info.Env());
    Bytes b = bytes(info[2]);
    glBufferSubData(u32(info, 0), (GLintptr)info[1].As<Napi::Number>().Int64Value(), (GLsizeiptr)b.size, b.data);
    return info.Env().Undefined();
  }

  Napi::Value uniformMatrix4fv(const Napi::CallbackInfo& info) {
    current(info.Env());
    if (info[0].IsNull()) return info.Env().Undefined();  // WebGL: a null location is a no-op
    Bytes b = bytes(info[2]);
    if (b.size % 64 != 0 || b.size == 0) throw Napi::RangeError::New(info.Env(), "uniformMatrix4fv expects a Float32Array of 16·n floats");
    glUniformMatrix4fv(i32(info, 0), (GLsizei)(b.size / 64), info[1].ToBoolean() ? GL_TRUE : GL_FALSE, (const GLfloat*)b.data);
    return info.Env().Undefined();
  }

  Napi::Value uniform3f(const Napi::CallbackInfo& info) {
    current(info.Env());
    if (!info[0].IsNull()) glUniform3f(i32(info, 0), f32(info, 1), f32(info, 2), f32(info, 3));
    return info.Env().Undefined();
  }

  Napi::Value vertexAttribPointer(const Napi::CallbackInfo& info) {
    current(info.Env());
    glVertexAttribPointer(u32(info, 0), i32(info, 1), u32(info, 2), info[3].ToBoolean() ? GL_TRUE : GL_FALSE, i32(info, 4),
                          (const void*)(uintptr_t)info[5].As<Napi::Number>().Int64Value());
    return info.Env().Undefined();
  }

  Napi::Value drawElements(const Napi::CallbackInfo& info) {
    current(info.Env());
    glDrawElements(u32(info, 0), i32(info, 1), u32(info, 2), (const void*)(uintptr_t)info[3].As<Napi::Number>().Int64Value());
    return info.Env().Undefined();
  }

  // Into a Uint8Array / Buffer, rows bottom-up as GL gives them. RGBA / UNSIGNED_BYTE only (what GLES always reads).
  Napi::Value readPixels(const Napi::CallbackInfo& info) {
    current(info.Env());
    GLint x = i32(info, 0), y = i32(info, 1);
    GLsizei w = i32(info, 2), h = i32(info, 3);
    if (u32(info, 4) != GL_RGBA || u32(info, 5) != GL_UNSIGNED_BYTE) throw Napi::TypeError::New(info.Env(), "readPixels supports RGBA / UNSIGNED_BYTE only");
    Bytes b = bytes(info[6]);
    if (w < 0 || h < 0 || b.size < (size_t)w * h * 4) throw Napi::RangeError::New(info.Env(), "readPixels: buffer smaller than width·height·4");
    glReadPixels(x, y, w, h, GL_RGBA, GL_UNSIGNED_BYTE, b.data);
    return info.Env().Undefined();
  }

#define VOID_CALL(name, call) \
  Napi::Value name(const Napi::CallbackInfo& info) { current(info.Env()); call; return info.Env().Undefined(); }
  VOID_CALL(compileShader, glCompileShader(handle(info[0])))
  VOID_CALL(deleteShader, glDeleteShader(handle(info[0])))
  VOID_CALL(attachShader, glAttachShader(handle(info[0]), handle(info[1])))
  VOID_CALL(linkProgram, glLinkProgram(handle(info[0])))
  VOID_CALL(deleteProgram, glDeleteProgram(handle(info[0])))
  VOID_CALL(useProgram, glUseProgram(handle(info[0])))
  VOID_CALL(deleteBuffer, GLuint b = handle(info[0]); glDeleteBuffers(1, &b))
  VOID_CALL(bindBuffer, glBindBuffer(u32(info, 0), handle(info[1])))
  VOID_CALL(enableVertexAttribArray, glEnableVertexAttribArray(u32(info, 0)))
  VOID_CALL(viewport, glViewport(i32(info, 0), i32(info, 1), i32(info, 2), i32(info, 3)))
  VOID_CALL(enable, glEnable(u32(info, 0)))
  VOID_CALL(disable, glDisable(u32(info, 0)))
  VOID_CALL(depthFunc, glDepthFunc(u32(info, 0)))
  VOID_CALL(pixelStorei, glPixelStorei(u32(info, 0), i32(info, 1)))
  VOID_CALL(clearColor, glClearColor(f32(info, 0), f32(info, 1), f32(info, 2), f32(info, 3)))
  VOID_CALL(clear, glClear(u32(info, 0)))
  VOID_CALL(flush, glFlush())
#undef VOID_CALL
};

// The GL enums the renderer names, from the GLES headers (same values as WebGL's).
Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define C(name) c.Set(#name, Napi::Number::New(env, GL_##name));
  C(NO_ERROR) C(VERTEX_SHADER) C(FRAGMENT_SHADER) C(COMPILE_STATUS) C(LINK_STATUS) C(DELETE_STATUS)
  C(ARRAY_BUFFER) C(ELEMENT_ARRAY_BUFFER) C(STATIC_DRAW) C(DYNAMIC_DRAW) C(STREAM_DRAW)
  C(DEPTH_TEST) C(CULL_FACE) C(BLEND) C(LESS) C(LEQUAL) C(PACK_ALIGNMENT) C(UNPACK_ALIGNMENT)
  C(COLOR_BUFFER_BIT) C(DEPTH_BUFFER_BIT) C(FLOAT) C(UNSIGNED_INT) C(UNSIGNED_SHORT) C(UNSIGNED_BYTE)
  C(TRIANGLES) C(RGBA) C(VERSION) C(VENDOR) C(RENDERER) C(SHADING_LANGUAGE_VERSION)
#undef C
  return c;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("EglContext", Context::Define(env));
  exports.Set("listDevices", Napi::Function::New(env, ListDevices));
  exports.Set("clientExtensions", Napi::Function::New(env, ClientExtensions));
  exports.Set("glConstants", Constants(env));
  Napi::Object egl = Napi::Object::New(env);
  egl.Set("VENDOR", Napi::Number::New(env, EGL_VENDOR));
  egl.Set("VERSION", Napi::Number::New(env, EGL_VERSION));
  egl.Set("EXTENSIONS", Napi::Number::New(env, EGL_EXTENSIONS));
  egl.Set("CLIENT_APIS", Napi::Number::New(env, EGL_CLIENT_APIS));
  exports.Set("eglConstants", egl);
  return exports;
}

}  // namespace

NODE_API_MODULE(batch_render_egl, Init)
