/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and TensorFlow.js packages, and the worker-thread pool (it starts threads from its own files), run in Node as they are, never bundled.
  serverExternalPackages: ['better-sqlite3', 'piscina', '@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'tsx'],
};
export default nextConfig;
