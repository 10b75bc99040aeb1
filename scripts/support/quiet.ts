// Imported first by the command-line tools: the service's info logs would bury their output.
process.env.LOG_LEVEL ??= 'warn';
