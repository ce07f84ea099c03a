/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-files-service"

#include "config.h"

#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-files-service.h"
#include "epsimo-test-harness.h"

typedef struct
{
  goffset       last_sent;
  goffset       total;
  guint         calls;
  gboolean      freed;
  GCancellable *cancel_on_first;
} Progress;

static void
on_progress (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpint (sent, >=, progress->last_sent);
  progress->last_sent = sent;
  progress->total = total;
  progress->calls++;

  if (progress->cancel_on_first != NULL)
    g_cancellable_cancel (progress->cancel_on_first);
}

static void
progress_destroy (gpointer user_data)
{
  Progress *progress = user_data;

  progress->freed = TRUE;
}

/* A file of @size bytes in a new temporary directory. */
static GFile *
make_file (const char *name,
           gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("epsimo-files-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *data = g_malloc (size);

  g_assert_no_error (error);
  for (gsize i = 0; i < size; i++)
    data[i] = 'a' + (char) (i % 26);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
remove_file (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);

  g_file_delete (file, NULL, NULL);
  g_file_delete (parent, NULL, NULL);
}

static EpsimoFile *
upload (EpsimoFilesService  *service,
        const char          *project_id,
        const char          *assistant_id,
        GFile               *file,
        Progress            *progress,
        GCancellable        *cancellable,
        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_files_service_upload_async (service, project_id, assistant_id, file, NULL,
                                     progress ? on_progress : NULL, progress,
                                     progress ? progress_destroy : NULL,
                                     cancellable, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_files_service_upload_finish (service, result, error);
}

static GPtrArray *
list_files (EpsimoFilesService  *service,
            const char          *project_id,
            const char          *assistant_id,
            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_files_service_list_async (service, project_id, assistant_id, NULL,
                                   epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_files_service_list_finish (service, result, error);
}

static gboolean
delete_file (EpsimoFilesService  *service,
             const char          *project_id,
             const char          *assistant_id,
             const char          *file_id,
             GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_files_service_delete_async (service, project_id, assistant_id, file_id, NULL,
                                     epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_files_service_delete_finish (service, result, error);
}

static guint
stored_files (EpsimoTestFixture *fixture)
{
  g_autoptr(JsonObject) state = epsimo_test_server_get_state (fixture->server);
  JsonArray *projects = json_object_get_array_member (state, "projects");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (projects); i++)
    count += json_array_get_length (
      json_object_get_array_member (json_array_get_object_element (projects, i), "files"));
  return count;
}

static void
test_files (EpsimoTestFixture *fixture,
            gconstpointer      data)
{
  g_autoptr(EpsimoFilesService) service = epsimo_files_service_new (fixture->client);
  g_autofree char *project_id = epsimo_test_create_project (fixture, "Files");
  g_autofree char *assistant_id = epsimo_test_create_assistant (fixture, project_id, "Reader");
  g_autoptr(GFile) local = make_file ("notes.txt", 300 * 1024);
  g_autoptr(EpsimoFile) file = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0, };
  JsonObject *request;

  file = upload (service, project_id, assistant_id, local, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (epsimo_file_get_id (file));
  g_assert_cmpstr (epsimo_file_get_filename (file), ==, "notes.txt");
  g_assert_cmpuint (epsimo_file_get_size (file), ==, 300 * 1024);
  g_assert_cmpuint (progress.calls, >, 0);
  g_assert_cmpint (progress.total, >, 300 * 1024);
  g_assert_cmpint (progress.last_sent, ==, progress.total);
  g_assert_true (progress.freed);

  requests = epsimo_test_server_get_requests (fixture->server);
  if (epsimo_test_fixture_is_live (fixture))
    {
      g_autofree char *path = g_strdup_printf ("/assistants/%s/files", assistant_id);

      request = epsimo_test_find_request (requests, "POST", path);
      g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", "/files*"), ==, 0);
    }
  else
    {
      request = epsimo_test_find_request (requests, "POST", "/files/");
      g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", "/assistants/*/files"),
                        ==, 0);
    }
  g_assert_nonnull (request);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (request, "content_type"),
                                   "multipart/form-data; boundary="));
  g_clear_pointer (&requests, json_array_unref);

  files = list_files (service, project_id, assistant_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (epsimo_file_get_id (g_ptr_array_index (files, 0)), ==,
                   epsimo_file_get_id (file));
  g_clear_pointer (&files, g_ptr_array_unref);

  g_assert_true (delete_file (service, project_id, assistant_id, epsimo_file_get_id (file),
                              &error));
  g_assert_no_error (error);

  requests = epsimo_test_server_get_requests (fixture->server);
  if (epsimo_test_fixture_is_live (fixture))
    g_assert_cmpuint (epsimo_test_count_requests (requests, "DELETE", "/assistants/*/files/*"),
                      ==, 1);
  else
    g_assert_cmpuint (epsimo_test_count_requests (requests, "DELETE", "/files/*"), ==, 1);
  g_clear_pointer (&requests, json_array_unref);

  files = list_files (service, project_id, assistant_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 0);
  g_clear_pointer (&files, g_ptr_array_unref);
  g_clear_object (&file);

  /* Without an assistant: the project's files in the reference; refused
   * before sending on the live backend, whose files belong to assistants. */
  epsimo_test_server_clear_requests (fixture->server);
  file = upload (service, project_id, NULL, local, NULL, NULL, &error);
  if (epsimo_test_fixture_is_live (fixture))
    {
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION);
      g_assert_cmpstr (epsimo_api_error_get_field (error), ==, "assistant_id");
      g_clear_error (&error);

      files = list_files (service, project_id, NULL, &error);
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION);
      g_assert_null (files);

      requests = epsimo_test_server_get_requests (fixture->server);
      g_assert_cmpuint (json_array_get_length (requests), ==, 0);
    }
  else
    {
      g_assert_no_error (error);
      files = list_files (service, project_id, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (files->len, ==, 1);
      g_assert_true (delete_file (service, project_id, NULL, epsimo_file_get_id (file), &error));
      g_assert_no_error (error);
    }

  remove_file (local);
}

static void
test_upload_cancel (EpsimoTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(EpsimoFilesService) service = epsimo_files_service_new (fixture->client);
  g_autofree char *project_id = epsimo_test_create_project (fixture, "Files");
  g_autofree char *assistant_id = epsimo_test_create_assistant (fixture, project_id, "Reader");
  g_autoptr(GFile) local = make_file ("big.bin", 16 * 1024 * 1024);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EpsimoFile) file = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0, };

  /* Cancelled as soon as the first bytes left: the rest is never sent. */
  progress.cancel_on_first = cancellable;
  file = upload (service, project_id, assistant_id, local, &progress, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (file);
  g_assert_cmpint (progress.last_sent, <, progress.total);
  g_assert_true (progress.freed);
  g_assert_cmpuint (stored_files (fixture), ==, 0);

  remove_file (local);
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/files-service/upload-list-delete", test_files);
  epsimo_test_add_both_dialects ("/files-service/upload-cancel", test_upload_cancel);

  return g_test_run ();
}
