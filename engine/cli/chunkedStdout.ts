// Writing a command's result to stdout in pieces of about 1 MB, so that big results never form one giant string.
export function chunkedStdout(): { write: (piece: string) => void; flush: () => void } {
  let buffer: string[] = [];
  let size = 0;
  const flush = () => {
    if (size > 0) process.stdout.write(buffer.join(''));
    buffer = [];
    size = 0;
  };
  return {
    write(piece) {
      buffer.push(piece);
      size += piece.length;
      if (size >= 1 << 20) flush();
    },
    flush,
  };
}
