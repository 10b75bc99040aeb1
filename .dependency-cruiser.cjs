/**
 * How the code may depend on itself (README, "Layout"): the domain core in
 * workflows/ depends on nothing of the service or the web app, and no two
 * folders depend on each other, directly or round about. `npm run lint` runs it.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-stays-pure',
      comment: 'workflows/ is the domain core: the server and the web app import it, never the other way round.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(src|web)/' },
    },
    {
      name: 'web-uses-the-core-not-the-server',
      comment: 'The web app asks the core or the API, never the server code.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No two folders depend on each other, directly or through others.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.vue', '.js', '.json'] },
  },
};
