/* Raw-file I/O shared by the drivers of the C-library tests: whole files
 * of little-endian float32 / int64 in DIR, read and written by name. Any
 * failure exits with status 2. */
#ifndef TCNN_TEST_DRIVER_FILES_H
#define TCNN_TEST_DRIVER_FILES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The whole of DIR/NAME; *count is its size in elements of `elem` bytes. */
static void *slurp(const char *dir, const char *name, size_t elem,
                   int64_t *count) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *data = malloc(bytes ? bytes : 1);
  if (!data || fread(data, 1, bytes, f) != (size_t)bytes)
    exit(2);
  fclose(f);
  *count = bytes / elem;
  return data;
}

static void spill(const char *dir, const char *name, const void *data,
                  size_t bytes) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, bytes, f) != bytes)
    exit(2);
  fclose(f);
}

#endif
