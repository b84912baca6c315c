// Postbuild step (no dependencies): the package's `bin` must start with a
// node shebang and carry the executable bit, or `onebot-gateway` installed
// by a package manager (or run as ./dist/cli.js) fails with "permission denied".
import { chmod, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const firstLine = (await readFile(cli, 'utf8')).split('\n', 1)[0];
if (firstLine !== '#!/usr/bin/env node') {
  process.stderr.write(
    `${cli}: expected "#!/usr/bin/env node" as the first line, got ${JSON.stringify(firstLine)}\n`,
  );
  process.exit(1);
}
const { mode } = await stat(cli);
// Read and execute for everyone, as npm does for installed bins; keeps the owner's write bit.
await chmod(cli, mode | 0o555);
