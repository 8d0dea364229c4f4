/**
 * The layers of docs/architecture.md, checked on every `npm test`: app → routers / api routes → services
 * → engine → nodes → models, with db beside the services, and the chart kit (charts/) under the app and
 * the report. An import against the arrows fails the build.
 */
const notTests = '(\\.test\\.ts$|/test-|/fixtures/|/fuzz/)';

module.exports = {
  forbidden: [
    {
      name: 'models-import-nothing-above',
      comment: 'Estimators know nothing of nodes, the engine, services, the database or the UI.',
      severity: 'error',
      from: { path: '^models/' },
      to: { path: '^(nodes|server|db|app)/' },
    },
    {
      name: 'nodes-import-no-db-services-or-ui',
      comment: 'A node file declares and runs one step; the engine and services around it are out of its sight.',
      severity: 'error',
      from: { path: '^nodes/', pathNot: notTests },
      to: { path: '^(db|app)/|^server/(?!engine/events)' },
    },
    {
      name: 'engine-imports-no-db-services-or-ui',
      comment: 'The engine emits events; services record them.',
      severity: 'error',
      from: { path: '^server/engine/' },
      to: { path: '^(db|app)/|^server/(?!engine/)' },
    },
    {
      name: 'db-imports-no-server-code',
      comment: 'What the database stores is typed at the lowest layer that uses it and imported downwards.',
      severity: 'error',
      from: { path: '^db/', pathNot: notTests },
      to: { path: '^(server|app)/' },
    },
    {
      name: 'pages-import-no-db-or-training-code',
      comment: 'Pages talk to the server through tRPC and plain routes; they never reach the database or train.',
      severity: 'error',
      from: { path: '^app/', pathNot: '^app/api/' },
      // The role table is shared vocabulary (the Members page shows it, the guard checks it).
      to: { path: '^db/|^server/(runs|queue|worker|teams|files|workspaces|auth)/', pathNot: '^server/auth/roles\\.ts$' },
    },
    {
      name: 'routers-routes-and-cli-reach-db-through-services',
      comment:
        'tRPC procedures, API routes and commands parse input, call a service and shape its answer; queries, scoping and logging live in the services.',
      severity: 'error',
      from: { path: '^server/(routers|cli)/|^app/api/', pathNot: notTests },
      to: { path: '^db/' },
    },
    {
      name: 'charts-import-no-app-server-db-or-nodes',
      comment:
        'The chart kit draws for the app and for the HTML report alike, so it knows neither; it may use the metrics vocabulary. Its tests check the app and the report draw the same.',
      severity: 'error',
      from: { path: '^charts/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^(app|server|db|nodes)/' },
    },
    {
      name: 'no-circular',
      comment: 'No two files import each other, directly or through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.next|test-results|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
