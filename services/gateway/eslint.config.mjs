import root from '../../eslint.config.mjs';

// Nest reads @Body()/@Query() DTO classes from decorator metadata, so their imports must stay
// value imports: tell the parser decorators emit metadata, and consistent-type-imports leaves them be.
export default [
  ...root,
  { files: ['**/*.ts'], languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } } },
];
