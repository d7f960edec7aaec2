/**
 * The 3D view of the current frame: the exact posed mesh the server computes
 * with our forward pass, drawn with three.js, orbit controls, and a button
 * that frames the hands. Positions stay in the input's OpenCV camera
 * coordinates in the geometry (the test compares them with --export obj);
 * the group's 180° turn about x shows them as the source camera saw them
 * (three.js looks along -z with y up; OpenCV along +z with y down).
 */
import {
  BufferAttribute, BufferGeometry, Color, DirectionalLight, Group, HemisphereLight, Mesh, MeshStandardMaterial,
  PerspectiveCamera, Scene, Sphere, Box3, SRGBColorSpace, Vector3, WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { el } from './dom.js';
import { decodeMesh, decodeTopology, type FrameMesh, type Topology } from './mesh-format.js';

export interface Mesh3DView {
  element: HTMLElement;
  show(frame: number): void;
  /** The positions on screen now (person-major, OpenCV metres) and the frame they belong to. */
  current(): { frame: number; meshFrame: number; positions: Float32Array } | null;
}

const VIEW_W = 480;
const VIEW_H = 480;

export function createMesh3D(apiBase: string, colors: Array<[number, number, number]>): Mesh3DView {
  const canvas = el('canvas', { class: 'mesh3d-canvas', id: 'mesh3d-canvas', width: VIEW_W, height: VIEW_H });
  const caption = el('div', { class: 'muted', id: 'mesh3d-caption' }, 'loading…');
  const handsBtn = el('button', { type: 'button', id: 'frame-hands' }, 'frame the hands');
  const resetBtn = el('button', { type: 'button', id: 'reset-view' }, 'source camera');
  const element = el('section', { class: 'panel', id: 'mesh3d' }, el('h2', {}, '3D view of the current frame'),
    canvas, el('div', { class: 'buttons' }, handsBtn, resetBtn), caption);

  const renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setSize(VIEW_W, VIEW_H, false);
  const scene = new Scene();
  // The renderer's colours are display (sRGB) values, as in our own render.
  const srgb = (c: readonly number[]) => new Color().setRGB(c[0], c[1], c[2], SRGBColorSpace);
  scene.background = srgb([0.96, 0.96, 0.96]);
  scene.add(new HemisphereLight(0xffffff, 0x888888, 1.6));
  const sun = new DirectionalLight(0xffffff, 1.4);
  sun.position.set(0.5, 1, 1);
  scene.add(sun);
  const camera = new PerspectiveCamera(35, VIEW_W / VIEW_H, 0.01, 100);
  const controls = new OrbitControls(camera, canvas);
  const group = new Group();
  group.rotation.x = Math.PI; // OpenCV (y down, z forward) → three.js (y up, z back)
  scene.add(group);
  const draw = () => renderer.render(scene, camera);
  controls.addEventListener('change', draw);

  let topology: Topology | null = null;
  let shown: { frame: number; mesh: FrameMesh } | null = null;
  let meshes: Mesh[] = [];
  let framed = false;
  let wanted: number | null = null;
  let busy = false;

  const topologyReady = fetch(`${apiBase}/topology`).then(async (res) => {
    if (!res.ok) throw new Error(`topology: HTTP ${res.status}`);
    topology = decodeTopology(await res.arrayBuffer());
  });

  const clear = () => {
    for (const x of meshes) { group.remove(x); x.geometry.dispose(); (x.material as MeshStandardMaterial).dispose(); }
    meshes = [];
  };

  const place = (m: FrameMesh) => {
    clear();
    const V = m.numVertices;
    meshes = Array.from(m.personIds, (pid, p) => {
      const g = new BufferGeometry();
      g.setAttribute('position', new BufferAttribute(m.positions.slice(p * V * 3, (p + 1) * V * 3), 3));
      g.setIndex(new BufferAttribute(topology!.faces, 1));
      g.computeVertexNormals();
      const c = colors[pid % colors.length] ?? [0.7, 0.7, 0.7];
      return new Mesh(g, new MeshStandardMaterial({ color: srgb(c), roughness: 0.7 }));
    });
    for (const x of meshes) group.add(x);
    group.updateMatrixWorld(true);
  };

  /** The source camera: at the origin, looking at the body. */
  const sourceView = () => {
    const box = new Box3().setFromObject(group);
    camera.position.set(0, 0, 0);
    controls.target.copy(box.getCenter(new Vector3()));
    controls.update();
  };

  const frameHands = () => {
    if (!topology || meshes.length === 0) return;
    const pts: Vector3[] = [];
    for (const m of meshes) {
      const pos = m.geometry.getAttribute('position');
      for (const v of topology.handVertices) pts.push(new Vector3().fromBufferAttribute(pos, v).applyMatrix4(m.matrixWorld));
    }
    if (pts.length === 0) return;
    const sphere = new Sphere().setFromPoints(pts);
    const dir = camera.position.clone().sub(controls.target).normalize();
    if (dir.lengthSq() === 0) dir.set(0, 0, 1);
    const dist = (sphere.radius * 1.15) / Math.sin((camera.fov * Math.PI) / 360);
    controls.target.copy(sphere.center);
    camera.position.copy(sphere.center).addScaledVector(dir, Math.max(dist, 0.05));
    controls.update();
  };
  handsBtn.addEventListener('click', () => { frameHands(); draw(); });
  resetBtn.addEventListener('click', () => { sourceView(); draw(); });

  // Latest frame wins: at most one request in flight, so playback never queues work.
  const pump = async () => {
    if (busy || wanted === null) return;
    const frame = wanted;
    wanted = null;
    busy = true;
    try {
      await topologyReady;
      const res = await fetch(`${apiBase}/mesh/${frame}`);
      if (!res.ok) {
        const why = await res.json().then((j: { error?: string }) => j.error, () => `HTTP ${res.status}`);
        clear();
        shown = null;
        caption.textContent = `frame ${frame}: ${why}`;
      } else {
        const mesh = decodeMesh(await res.arrayBuffer());
        place(mesh);
        shown = { frame, mesh };
        if (!framed) { sourceView(); framed = true; }
        caption.textContent = mesh.frame === frame ? `frame ${frame}` : `frame ${frame}: the mesh of frame ${mesh.frame}`;
      }
      element.dataset.frame = String(frame);
      draw();
    } catch (err) {
      caption.textContent = `3D view: ${(err as Error).message}`;
    } finally {
      busy = false;
      void pump();
    }
  };

  return {
    element,
    show(frame) { wanted = frame; void pump(); },
    current() {
      if (!shown) return null;
      const V = shown.mesh.numVertices;
      const positions = new Float32Array(meshes.length * V * 3);
      meshes.forEach((m, p) => positions.set(m.geometry.getAttribute('position').array as Float32Array, p * V * 3));
      return { frame: shown.frame, meshFrame: shown.mesh.frame, positions };
    },
  };
}
