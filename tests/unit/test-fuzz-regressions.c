/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-fuzz-regressions"

#include "config.h"

#include "epsimo-fuzz.h"

/* Every input that once broke a fuzz target (tests/fuzz/regressions/TARGET/) and every seed
 * (tests/fuzz/corpus/TARGET/), fed to the same entry point as the fuzzer's, one test case
 * each, so a finding stays fixed in an ordinary build without clang or libFuzzer.
 *
 * tests/fuzz/open/TARGET/ holds findings not fixed yet: each runs in a child process and
 * is reported as incomplete while it still fails, and as a failure once it passes (move it
 * to regressions/ then). */

static void
replay (gconstpointer data);

static void
replay_open (gconstpointer data)
{
  const char *path = data;

  if (g_test_subprocess ())
    {
      replay (data);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  if (g_test_trap_has_passed ())
    g_test_fail_printf ("%s no longer fails: move it to tests/fuzz/regressions/", path);
  else
    g_test_incomplete ("an open finding, not fixed yet");
}

static void
replay (gconstpointer data)
{
  const char *path = data;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *target = g_path_get_basename (dir);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_true (epsimo_fuzz_run_target (target, (const guint8 *) contents, size));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
add_folder (const char *kind)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "fuzz", kind, NULL);
  g_autoptr(GDir) targets = g_dir_open (root, 0, NULL);
  const char *target;

  if (targets == NULL)
    return;
  while ((target = g_dir_read_name (targets)) != NULL)
    {
      g_autofree char *folder = g_build_filename (root, target, NULL);
      g_autoptr(GDir) files = g_dir_open (folder, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (files == NULL)
        continue;
      while ((name = g_dir_read_name (files)) != NULL)
        if (name[0] != '.')
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *test_path = NULL;
          const char *file = g_ptr_array_index (names, i);

          test_path = g_strdup_printf ("/fuzz-%s/%s/%s", kind, target, file);
          g_test_add_data_func_full (test_path, g_build_filename (folder, file, NULL),
                                     g_str_equal (kind, "open") ? replay_open : replay, g_free);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_folder ("regressions");
  add_folder ("corpus");
  add_folder ("open");

  return g_test_run ();
}
