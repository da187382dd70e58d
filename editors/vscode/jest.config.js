// Tests run against the bundled extension (dist/extension.js), the file the .vsix ships.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.js'],
};
