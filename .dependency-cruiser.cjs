/**
 * The layers of docs/architecture.md, checked on every `npm test`: app → routers / api routes → services
 * → engine → nodes → models, with db beside the services, and the chart kit (charts/) under the app and
 * the report. An import against the arrows fails the build.
 */
const notTests = '(\\.test\\.ts$|/test-|/fixtures/|/fuzz/)';

/** An import no file matching `from` may make to a file matching `to`. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    forbid(
      'models-import-nothing-above',
      'Estimators know nothing of nodes, the engine, services, the database or the UI.',
      { path: '^models/' },
      { path: '^(nodes|server|db|app)/' },
    ),
    forbid(
      'nodes-import-no-db-services-or-ui',
      'A node file declares and runs one step; the engine and services around it are out of its sight.',
      { path: '^nodes/', pathNot: notTests },
      { path: '^(db|app)/|^server/(?!engine/events)' },
    ),
    forbid(
      'engine-imports-no-db-services-or-ui',
      'The engine emits events; services record them.',
      { path: '^server/engine/' },
      { path: '^(db|app)/|^server/(?!engine/)' },
    ),
    forbid(
      'db-imports-no-server-code',
      'What the database stores is typed at the lowest layer that uses it and imported downwards.',
      { path: '^db/', pathNot: notTests },
      { path: '^(server|app)/' },
    ),
    // The role table is shared vocabulary (the Members page shows it, the guard checks it).
    forbid(
      'pages-import-no-db-or-training-code',
      'Pages talk to the server through tRPC and plain routes; they never reach the database or train.',
      { path: '^app/', pathNot: '^app/api/' },
      { path: '^db/|^server/(runs|queue|worker|teams|files|workspaces|auth)/', pathNot: '^server/auth/roles\\.ts$' },
    ),
    forbid(
      'routers-routes-and-cli-reach-db-through-services',
      'tRPC procedures, API routes and commands parse input, call a service and shape its answer; queries, scoping and logging live in the services.',
      { path: '^server/(routers|cli)/|^app/api/', pathNot: notTests },
      { path: '^db/' },
    ),
    forbid(
      'charts-import-no-app-server-db-or-nodes',
      'The chart kit draws for the app and for the HTML report alike, so it knows neither; it may use the metrics vocabulary. Its tests check the app and the report draw the same.',
      { path: '^charts/', pathNot: '\\.test\\.tsx?$' },
      { path: '^(app|server|db|nodes)/' },
    ),
    forbid(
      'no-circular',
      'No two files import each other, directly or through others.',
      {},
      { circular: true },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.next|test-results|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
