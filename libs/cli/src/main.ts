console.log('giggles: args', process.argv.slice(2));
