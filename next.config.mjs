/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and TensorFlow.js packages run in Node as they are, never bundled.
  serverExternalPackages: ['better-sqlite3', '@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'tsx'],
};
export default nextConfig;
