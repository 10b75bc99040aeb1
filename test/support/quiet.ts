// Imported first by the hooks: request logs would bury mocha's report.
process.env.LOG_LEVEL ??= 'silent';
