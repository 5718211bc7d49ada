/** A size limit as people read it: megabytes with at most one decimal ("10 MB", "2.5 MB"). */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
