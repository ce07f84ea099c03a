/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Files page in a real window against epsimo-test-server, in both dialects. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "../epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "../epsimo-ui-test-session.h"
#include "files/epsimo-files-page.h"
#include "files/epsimo-upload-row.h"
#include "widgets/epsimo-error-banner.h"

#define PASSWORD EPSIMO_UI_TEST_PASSWORD
#define TIMEOUT_MS 30000
#define BIG_SIZE (8 * 1024 * 1024)

typedef struct
{
  const char       *dialect;
  EpsimoTestServer *server;
  EpsimoSession    *session;
  EpsimoProject    *project;
  char             *assistant_id;
  char             *tmpdir;
  GtkWidget        *window;
  EpsimoFilesPage  *page;
  GPtrArray        *toasts;
  GPtrArray        *sections;
} Fixture;

/* Set-up */

static gboolean
is_live (Fixture *f)
{
  return g_str_equal (f->dialect, "live");
}

static GtkWidget *
page_child (Fixture    *f,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (f->page), EPSIMO_TYPE_FILES_PAGE,
                                                  name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static const char *
stack_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (page_child (f, "stack")));
}

static gboolean
page_settled (gpointer data)
{
  const char *name = stack_page (data);

  return g_strcmp0 (name, "list") == 0 || g_strcmp0 (name, "empty") == 0
         || g_strcmp0 (name, "no-assistant") == 0 || g_strcmp0 (name, "error") == 0;
}

static void
wait_settled (Fixture *f)
{
  g_assert_true (epsimo_ui_test_wait_for (page_settled, f, TIMEOUT_MS));
}

static char *
create_assistant (Fixture    *f,
                  const char *name)
{
  EpsimoAssistantsService *service = epsimo_session_get_assistants (f->session);
  g_autoptr(EpsimoAssistant) draft = epsimo_assistant_new (name);
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  epsimo_assistant_set_instructions (draft, "You read the files.");
  epsimo_assistants_service_create_async (service, epsimo_project_get_id (f->project), draft,
                                          NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  assistant = epsimo_assistants_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assistant);
  return g_strdup (epsimo_assistant_get_id (assistant));
}

static void
on_toast (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->toasts, g_variant_dup_string (parameter, NULL));
}

static void
on_show_section (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->sections, g_variant_dup_string (parameter, NULL));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static guint counter;
  const GActionEntry entries[] = {
    { "toast", on_toast, "s", NULL, NULL, { 0 } },
    { "show-section", on_show_section, "s", NULL, NULL, { 0 } },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;

  f->dialect = data;
  f->server = epsimo_test_server_start (f->dialect, NULL);

  email = g_strdup_printf ("files.%u.%u@example.test", (guint) getpid (), ++counter);
  f->session = epsimo_ui_test_sign_up (f->server, email);

  f->project = epsimo_ui_test_create_project (f->session, "Library");
  f->assistant_id = create_assistant (f, "Librarian");
  f->tmpdir = g_dir_make_tmp ("epsimo-files-XXXXXX", &error);
  g_assert_no_error (error);
  f->toasts = g_ptr_array_new_with_free_func (g_free);
  f->sections = g_ptr_array_new_with_free_func (g_free);

  /* A window like the real one: "win.toast" and "win.show-section" exist. */
  f->window = g_object_new (ADW_TYPE_APPLICATION_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 720);
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), f);
  gtk_widget_insert_action_group (f->window, "win", G_ACTION_GROUP (group));

  f->page = EPSIMO_FILES_PAGE (epsimo_files_page_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (f->window),
                                      GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));

  g_object_set (f->page, "session", f->session, "project", f->project, NULL);
  wait_settled (f);
  g_assert_cmpstr (stack_page (f), ==, "empty");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *dialog;

  while ((dialog = epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (f->window));
  epsimo_ui_test_spin (50);

  g_clear_object (&f->session);
  g_clear_object (&f->project);
  g_clear_pointer (&f->assistant_id, g_free);
  g_clear_pointer (&f->server, epsimo_test_server_stop);
  remove_tree (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->toasts, g_ptr_array_unref);
  g_clear_pointer (&f->sections, g_ptr_array_unref);
}

/* Local files */

static GFile *
make_file (Fixture    *f,
           const char *name,
           gsize       size)
{
  g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) size ^ g_str_hash (name));
  g_autofree guint32 *chunk = g_new (guint32, 16384);
  FILE *out = fopen (path, "wb");
  gsize left = size;

  g_assert_nonnull (out);
  while (left > 0)
    {
      gsize n = MIN (left, 16384 * sizeof (guint32));

      for (guint i = 0; i < 16384; i++)
        chunk[i] = g_rand_int (rand);
      g_assert_cmpuint (fwrite (chunk, 1, n, out), ==, n);
      left -= n;
    }
  g_assert_cmpint (fclose (out), ==, 0);

  return g_file_new_for_path (path);
}

static char *
file_sha256 (GFile *file)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autofree guchar *buffer = g_malloc (65536);
  gssize n;

  g_assert_nonnull (in);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 65536, NULL, NULL)) > 0)
    g_checksum_update (checksum, buffer, n);
  g_assert_cmpint (n, ==, 0);

  return g_strdup (g_checksum_get_string (checksum));
}

/* What the server has */

static JsonArray *
server_files (Fixture *f)
{
  g_autoptr(JsonObject) state = epsimo_test_server_get_state (f->server);
  JsonArray *projects = json_object_get_array_member (state, "projects");

  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonObject *project = json_array_get_object_element (projects, i);

      if (g_strcmp0 (json_object_get_string_member (project, "project_id"),
                     epsimo_project_get_id (f->project)) == 0)
        return json_array_ref (json_object_get_array_member (project, "files"));
    }

  g_assert_not_reached ();
}

static JsonObject *
find_server_file (JsonArray  *files,
                  const char *name)
{
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonObject *file = json_array_get_object_element (files, i);

      if (g_strcmp0 (json_object_get_string_member (file, "filename"), name) == 0)
        return file;
    }
  return NULL;
}

static void
assert_server_has (Fixture    *f,
                   GFile      *local,
                   const char *assistant_id)
{
  g_autoptr(JsonArray) files = server_files (f);
  g_autofree char *name = g_file_get_basename (local);
  g_autofree char *sha256 = file_sha256 (local);
  g_autoptr(GFileInfo) info = g_file_query_info (local, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  JsonObject *file = find_server_file (files, name);

  g_assert_nonnull (file);
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, g_file_info_get_size (info));
  g_assert_cmpstr (json_object_get_string_member (file, "sha256"), ==, sha256);
  if (assistant_id != NULL)
    g_assert_cmpstr (json_object_get_string_member_with_default (file, "assistant_id", NULL),
                     ==, assistant_id);
}

static char *
upload_path (Fixture *f)
{
  if (is_live (f))
    return g_strdup_printf ("/assistants/%s/files*", f->assistant_id);
  return g_strdup ("/files*");
}

/* What the page shows */

static GListModel *
list_model (Fixture *f)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (page_child (f, "column_view"));

  return G_LIST_MODEL (gtk_column_view_get_model (view));
}

static char *
listed_names (Fixture *f)
{
  GListModel *model = list_model (f);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EpsimoFile) file = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (names, ',');
      g_string_append (names, epsimo_file_get_filename (file));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static guint
find_listed (Fixture    *f,
             const char *name)
{
  GListModel *model = list_model (f);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EpsimoFile) file = g_list_model_get_item (model, i);

      if (g_strcmp0 (epsimo_file_get_filename (file), name) == 0)
        return i;
    }
  return G_MAXUINT;
}

typedef struct
{
  Fixture    *f;
  const char *name;
} NameCheck;

static gboolean
name_listed (gpointer data)
{
  NameCheck *check = data;

  return find_listed (check->f, check->name) != G_MAXUINT;
}

static gboolean
name_not_listed (gpointer data)
{
  return !name_listed (data);
}

static void
wait_listed (Fixture    *f,
             const char *name)
{
  NameCheck check = { f, name };

  g_assert_true (epsimo_ui_test_wait_for (name_listed, &check, TIMEOUT_MS));
}

static gboolean
texts_contain (GPtrArray  *texts,
               const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}

/* The upload row of @upload, when the queue's list has it bound. */
static EpsimoUploadRow *
find_row (GtkWidget    *root,
          EpsimoUpload *upload)
{
  if (EPSIMO_IS_UPLOAD_ROW (root)
      && epsimo_upload_row_get_upload (EPSIMO_UPLOAD_ROW (root)) == upload)
    return EPSIMO_UPLOAD_ROW (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      EpsimoUploadRow *row = find_row (child, upload);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static GtkWidget *
row_child (EpsimoUploadRow *row,
           const char      *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), EPSIMO_TYPE_UPLOAD_ROW,
                                                    name));
}

static guint
queue_length (Fixture *f)
{
  GtkListView *view = GTK_LIST_VIEW (page_child (f, "queue_view"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view)));
}

static gboolean
queue_empty (gpointer data)
{
  return queue_length (data) == 0;
}

/* Uploads */

static GPtrArray *
upload_files (Fixture *f,
              ...)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE);
  va_list args;
  GFile *file;

  va_start (args, f);
  while ((file = va_arg (args, GFile *)) != NULL)
    g_list_store_append (store, file);
  va_end (args);

  return epsimo_files_page_upload_files (f->page, G_LIST_MODEL (store), NULL);
}

typedef struct
{
  EpsimoUpload      *upload;
  EpsimoUploadState  state;
} StateCheck;

static gboolean
in_state (gpointer data)
{
  StateCheck *check = data;

  return epsimo_upload_get_state (check->upload) == check->state;
}

static void
wait_state (EpsimoUpload      *upload,
            EpsimoUploadState  state)
{
  StateCheck check = { upload, state };

  epsimo_ui_test_wait_for (in_state, &check, TIMEOUT_MS);
  if (epsimo_upload_get_state (upload) != state)
    g_test_message ("%s: state %d, error %s", epsimo_upload_get_name (upload),
                    epsimo_upload_get_state (upload), epsimo_upload_get_error (upload));
  g_assert_cmpint (epsimo_upload_get_state (upload), ==, state);
}

typedef struct
{
  guint64  total;
  guint    partial_samples;
  char    *status;
} ProgressLog;

static void
on_bytes_sent (EpsimoUpload *upload,
               GParamSpec   *pspec,
               ProgressLog  *log)
{
  guint64 sent = epsimo_upload_get_bytes_sent (upload);

  if (sent > 0 && sent < log->total && epsimo_upload_get_state (upload)
                                       == EPSIMO_UPLOAD_UPLOADING)
    {
      log->partial_samples++;
      g_free (log->status);
      log->status = epsimo_upload_dup_status_text (upload);
    }
}

/* Tests */

static void
test_upload (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) small = make_file (f, "notes & <draft>.txt", 19);
  g_autoptr(GFile) big = make_file (f, "big.bin", BIG_SIZE);
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *big_size = g_format_size (BIG_SIZE);
  g_autofree char *small_size = g_format_size (19);
  g_autofree char *path = NULL;
  ProgressLog log = { BIG_SIZE, 0, NULL };

  /* Where files belong is said on a live server, and nowhere else. */
  g_assert_cmpint (gtk_widget_get_visible (page_child (f, "assistant_box")), ==, is_live (f));
  g_assert_cmpint (gtk_widget_get_visible (page_child (f, "assistant_note")), ==, is_live (f));

  uploads = upload_files (f, small, big, NULL);
  g_assert_cmpuint (uploads->len, ==, 2);
  g_signal_connect (g_ptr_array_index (uploads, 1), "notify::bytes-sent",
                    G_CALLBACK (on_bytes_sent), &log);
  g_assert_cmpuint (queue_length (f), ==, 2);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (page_child (f,
                                                                          "queue_revealer"))));

  wait_state (g_ptr_array_index (uploads, 0), EPSIMO_UPLOAD_DONE);
  wait_state (g_ptr_array_index (uploads, 1), EPSIMO_UPLOAD_DONE);
  g_signal_handlers_disconnect_by_data (g_ptr_array_index (uploads, 1), &log);

  /* Progress was reported while the big one was on its way, in the row's words. */
  g_assert_cmpuint (log.partial_samples, >, 0);
  g_assert_nonnull (log.status);
  g_test_message ("progress: %s", log.status);
  g_assert_true (strstr (log.status, big_size) != NULL || strstr (log.status, "sent") != NULL);
  g_free (log.status);

  /* Both are listed with their names as plain text and their sizes, the queue is gone. */
  wait_listed (f, "notes & <draft>.txt");
  wait_listed (f, "big.bin");
  g_assert_cmpstr (stack_page (f), ==, "list");
  epsimo_ui_test_spin (50);
  texts = epsimo_ui_test_collect_texts (page_child (f, "column_view"));
  g_assert_true (texts_contain (texts, "notes & <draft>.txt"));
  g_assert_true (texts_contain (texts, "big.bin"));
  g_assert_true (texts_contain (texts, small_size));
  g_assert_true (texts_contain (texts, big_size));
  g_assert_true (epsimo_ui_test_wait_for (queue_empty, f, TIMEOUT_MS));

  /* The server has the same bytes, under the dialect's path. */
  assert_server_has (f, small, is_live (f) ? f->assistant_id : NULL);
  assert_server_has (f, big, is_live (f) ? f->assistant_id : NULL);
  requests = epsimo_test_server_get_requests (f->server);
  path = upload_path (f);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", path), ==, 2);

  /* A listing from scratch finds them too. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "files.refresh", NULL);
  wait_settled (f);
  wait_listed (f, "big.bin");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (f)), ==, 2);
}

typedef struct
{
  GPtrArray *uploads;
  guint      max_running;
} QueueLog;

static void
on_queue_state (EpsimoUpload *upload,
                GParamSpec   *pspec,
                QueueLog     *log)
{
  guint running = 0;

  for (guint i = 0; i < log->uploads->len; i++)
    if (epsimo_upload_get_state (g_ptr_array_index (log->uploads, i))
        == EPSIMO_UPLOAD_UPLOADING)
      running++;
  log->max_running = MAX (log->max_running, running);
}

static gboolean
three_running (gpointer data)
{
  Fixture *f = data;

  return epsimo_upload_queue_get_n_running (epsimo_files_page_get_queue (f->page)) == 3;
}

static void
test_queue (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = upload_path (f);
  g_autofree char *body = NULL;
  guint waiting = 0, uploading = 0;
  QueueLog log = { NULL, 0 };
  EpsimoUploadRow *row;

  /* A slow server, so the queue has to hold the last two back. */
  body = g_strdup_printf ("{\"method\": \"POST\", \"path\": \"%s\", \"ms\": 1500, "
                          "\"count\": 5}", path);
  answer = epsimo_test_server_control (f->server, "POST", "delay", body);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("queued-%u.txt", i + 1);
      GFile *file = make_file (f, name, 100 + i);

      g_ptr_array_add (files, file);
      g_list_store_append (store, file);
    }
  uploads = epsimo_files_page_upload_files (f->page, G_LIST_MODEL (store), NULL);
  g_assert_cmpuint (uploads->len, ==, 5);
  log.uploads = uploads;
  for (guint i = 0; i < uploads->len; i++)
    g_signal_connect (g_ptr_array_index (uploads, i), "notify::state",
                      G_CALLBACK (on_queue_state), &log);

  g_assert_true (epsimo_ui_test_wait_for (three_running, f, TIMEOUT_MS));
  for (guint i = 0; i < uploads->len; i++)
    {
      EpsimoUploadState state = epsimo_upload_get_state (g_ptr_array_index (uploads, i));

      waiting += state == EPSIMO_UPLOAD_WAITING;
      uploading += state == EPSIMO_UPLOAD_UPLOADING;
    }
  g_assert_cmpuint (uploading, ==, 3);
  g_assert_cmpuint (waiting, ==, 2);
  /* The oldest go first. */
  g_assert_cmpint (epsimo_upload_get_state (g_ptr_array_index (uploads, 0)), ==,
                   EPSIMO_UPLOAD_UPLOADING);
  g_assert_cmpint (epsimo_upload_get_state (g_ptr_array_index (uploads, 4)), ==,
                   EPSIMO_UPLOAD_WAITING);
  g_assert_cmpuint (queue_length (f), ==, 5);

  /* Each has its row: the first one says what it is doing, with Cancel and no Retry. */
  epsimo_ui_test_spin (50);
  row = find_row (page_child (f, "queue_view"), g_ptr_array_index (uploads, 0));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (row_child (row, "name_label"))), ==,
                   "queued-1.txt");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (row_child (row, "status_label"))), !=, "");
  g_assert_true (gtk_widget_get_visible (row_child (row, "cancel_button")));
  g_assert_false (gtk_widget_get_visible (row_child (row, "retry_button")));
  {
    g_autofree char *waiting_text = epsimo_upload_dup_status_text (g_ptr_array_index (uploads,
                                                                                      4));
    g_autofree char *size = g_format_size (104);
    g_autofree char *expected = g_strdup_printf ("Waiting — %s", size);

    g_assert_cmpstr (waiting_text, ==, expected);
  }

  for (guint i = 0; i < uploads->len; i++)
    wait_state (g_ptr_array_index (uploads, i), EPSIMO_UPLOAD_DONE);
  for (guint i = 0; i < uploads->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (uploads, i), &log);
  g_assert_cmpuint (log.max_running, ==, 3);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (files, i));

      wait_listed (f, name);
      assert_server_has (f, g_ptr_array_index (files, i), NULL);
    }
  g_assert_true (epsimo_ui_test_wait_for (queue_empty, f, TIMEOUT_MS));
}

static gboolean
uploading_started (gpointer data)
{
  EpsimoUpload *upload = data;

  return epsimo_upload_get_state (upload) == EPSIMO_UPLOAD_UPLOADING
         && epsimo_upload_get_bytes_sent (upload) > 0;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) big = make_file (f, "cancel-me.bin", 2 * BIG_SIZE);
  g_autoptr(GFile) small = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(JsonArray) files = NULL;
  g_autofree char *path = upload_path (f);
  EpsimoUpload *upload;
  EpsimoUploadRow *row;

  /* The server takes the body and never answers: the upload stays running. */
  epsimo_test_server_stall (f->server, "POST", path, 1);

  uploads = upload_files (f, big, NULL);
  upload = g_ptr_array_index (uploads, 0);
  g_assert_true (epsimo_ui_test_wait_for (uploading_started, upload, TIMEOUT_MS));

  row = find_row (page_child (f, "queue_view"), upload);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (row_child (row, "cancel_button")));
  g_signal_emit_by_name (row_child (row, "cancel_button"), "clicked");

  g_assert_cmpint (epsimo_upload_get_state (upload), ==, EPSIMO_UPLOAD_CANCELLED);
  g_assert_true (epsimo_ui_test_wait_for (queue_empty, f, TIMEOUT_MS));
  g_assert_cmpuint (epsimo_upload_queue_get_n_running (epsimo_files_page_get_queue (f->page)),
                    ==, 0);

  /* Releasing the held request stores nothing: the connection was gone. Another upload
   * then goes through, and is the only file on the server. */
  epsimo_test_server_reset (f->server);
  small = make_file (f, "after-cancel.txt", 42);
  after = upload_files (f, small, NULL);
  wait_state (g_ptr_array_index (after, 0), EPSIMO_UPLOAD_DONE);

  files = server_files (f);
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_null (find_server_file (files, "cancel-me.bin"));
  g_assert_nonnull (find_server_file (files, "after-cancel.txt"));

  gtk_widget_activate_action (GTK_WIDGET (f->page), "files.refresh", NULL);
  wait_settled (f);
  wait_listed (f, "after-cancel.txt");
  g_assert_cmpuint (find_listed (f, "cancel-me.bin"), ==, G_MAXUINT);
  g_assert_cmpint (epsimo_upload_get_state (upload), ==, EPSIMO_UPLOAD_CANCELLED);
}

static void
test_retry (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GFile) file = make_file (f, "retry-me.txt", 2048);
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(JsonArray) files = NULL;
  g_autofree char *path = upload_path (f);
  EpsimoUpload *upload;
  EpsimoUploadRow *row;
  GtkWidget *status;

  epsimo_test_server_fail (f->server, "POST", path, 500, 1, NULL);

  uploads = upload_files (f, file, NULL);
  upload = g_ptr_array_index (uploads, 0);
  wait_state (upload, EPSIMO_UPLOAD_FAILED);
  g_assert_nonnull (epsimo_upload_get_error (upload));

  /* The row says why, in the error style, and offers Retry. */
  epsimo_ui_test_spin (50);
  row = find_row (page_child (f, "queue_view"), upload);
  g_assert_nonnull (row);
  status = row_child (row, "status_label");
  g_test_message ("failure shown: %s", gtk_label_get_text (GTK_LABEL (status)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, epsimo_upload_get_error (upload));
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  g_assert_true (gtk_widget_get_visible (row_child (row, "retry_button")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row_child (row, "cancel_button")), ==,
                   "Remove From List");
  g_assert_cmpuint (find_listed (f, "retry-me.txt"), ==, G_MAXUINT);

  g_signal_emit_by_name (row_child (row, "retry_button"), "clicked");
  wait_state (upload, EPSIMO_UPLOAD_DONE);
  wait_listed (f, "retry-me.txt");
  g_assert_true (epsimo_ui_test_wait_for (queue_empty, f, TIMEOUT_MS));

  files = server_files (f);
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  assert_server_has (f, file, NULL);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GFile) first = make_file (f, "dropped report.pdf", 5000);
  g_autoptr(GFile) second = make_file (f, "dropped-data.csv", 3 * 1024 * 1024);
  GFile *array[] = { first, second };
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  GdkFileList *file_list;
  GtkDropTarget *target;
  GValue value = G_VALUE_INIT;
  GdkDragAction action = 0;
  gboolean accepted = FALSE;
  GtkRevealer *drop_revealer = GTK_REVEALER (page_child (f, "drop_revealer"));

  target = find_drop_target (GTK_WIDGET (f->page));
  g_assert_nonnull (target);
  g_assert_true (gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (target),
                                                    GDK_TYPE_FILE_LIST));

  /* What a file manager's drag carries: a content provider offering a GdkFileList. */
  file_list = gdk_file_list_new_from_array (array, G_N_ELEMENTS (array));
  provider = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, file_list);
  g_boxed_free (GDK_TYPE_FILE_LIST, file_list);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_assert_true (gdk_content_provider_get_value (provider, &value, &error));
  g_assert_no_error (error);

  g_signal_emit_by_name (target, "enter", 40.0, 40.0, &action);
  g_assert_cmpint (action, ==, GDK_ACTION_COPY);
  g_assert_true (gtk_revealer_get_reveal_child (drop_revealer));

  g_signal_emit_by_name (target, "drop", &value, 40.0, 40.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
  g_assert_false (gtk_revealer_get_reveal_child (drop_revealer));

  /* The same queue as the chooser's. */
  g_assert_cmpuint (queue_length (f), ==, 2);
  wait_listed (f, "dropped report.pdf");
  wait_listed (f, "dropped-data.csv");
  g_assert_true (epsimo_ui_test_wait_for (queue_empty, f, TIMEOUT_MS));
  assert_server_has (f, first, is_live (f) ? f->assistant_id : NULL);
  assert_server_has (f, second, is_live (f) ? f->assistant_id : NULL);
}

static gboolean
dialog_shown (gpointer data)
{
  return epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return !dialog_shown (data);
}

/* Selects @name in the list and asks to delete it; returns the confirmation. */
static GtkWidget *
ask_delete (Fixture    *f,
            const char *name)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (list_model (f));
  g_autofree char *heading = g_strdup_printf ("Delete “%s”?", name);
  guint position = find_listed (f, name);
  GtkWidget *dialog;

  g_assert_cmpuint (position, !=, G_MAXUINT);
  gtk_selection_model_select_item (model, position, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "files.delete", NULL));

  g_assert_true (epsimo_ui_test_wait_for (dialog_shown, NULL, TIMEOUT_MS));
  dialog = epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, heading);
  return dialog;
}

static void
click_response (GtkWidget  *dialog,
                const char *label)
{
  GtkWidget *button = epsimo_ui_test_find_widget (dialog, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (epsimo_ui_test_wait_for (dialog_gone, NULL, TIMEOUT_MS));
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) keep = make_file (f, "keep.txt", 300);
  g_autoptr(GFile) gone = make_file (f, "gone <old>.txt", 400);
  g_autoptr(GPtrArray) uploads = upload_files (f, keep, gone, NULL);
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonArray) files = NULL;
  NameCheck check = { f, "gone <old>.txt" };
  GtkWidget *dialog;

  wait_listed (f, "keep.txt");
  wait_listed (f, "gone <old>.txt");

  /* Cancel keeps it. */
  epsimo_test_server_clear_requests (f->server);
  dialog = ask_delete (f, "gone <old>.txt");
  click_response (dialog, "_Cancel");
  epsimo_ui_test_spin (100);
  requests = epsimo_test_server_get_requests (f->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "DELETE", "*"), ==, 0);
  g_assert_cmpuint (find_listed (f, "gone <old>.txt"), !=, G_MAXUINT);
  g_clear_pointer (&requests, json_array_unref);

  /* Delete removes it from the server and the list. */
  dialog = ask_delete (f, "gone <old>.txt");
  click_response (dialog, "_Delete");
  g_assert_true (epsimo_ui_test_wait_for (name_not_listed, &check, TIMEOUT_MS));
  g_assert_cmpuint (find_listed (f, "keep.txt"), !=, G_MAXUINT);

  requests = epsimo_test_server_get_requests (f->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "DELETE",
                                                is_live (f) ? "/assistants/*/files/*"
                                                            : "/files/*"), ==, 1);
  files = server_files (f);
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_nonnull (find_server_file (files, "keep.txt"));
  g_assert_cmpuint (f->toasts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->toasts, 0), ==, "“gone <old>.txt” deleted");
}

static gboolean
n_listed_is (gpointer data)
{
  NameCheck *check = data;

  return g_list_model_get_n_items (list_model (check->f)) == GPOINTER_TO_UINT (check->name);
}

static void
wait_n_listed (Fixture *f,
               guint    n)
{
  NameCheck check = { f, GUINT_TO_POINTER (n) };

  g_assert_true (epsimo_ui_test_wait_for (n_listed_is, &check, TIMEOUT_MS));
}

static void
assert_order (Fixture    *f,
              const char *expected)
{
  g_autofree char *names = listed_names (f);

  g_assert_cmpstr (names, ==, expected);
}

static void
test_sort_filter (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) medium = make_file (f, "b-medium.txt", 3000);
  g_autoptr(GFile) small = make_file (f, "c-small.txt", 10);
  g_autoptr(GFile) large = make_file (f, "a-large.txt", 200000);
  g_autoptr(GPtrArray) uploads = upload_files (f, medium, small, large, NULL);
  GtkColumnView *view = GTK_COLUMN_VIEW (page_child (f, "column_view"));
  GtkEditable *search = GTK_EDITABLE (page_child (f, "search_entry"));
  GtkColumnViewColumn *size_column = GTK_COLUMN_VIEW_COLUMN (
    gtk_widget_get_template_child (GTK_WIDGET (f->page), EPSIMO_TYPE_FILES_PAGE, "size_column"));
  GtkColumnViewColumn *name_column = GTK_COLUMN_VIEW_COLUMN (
    gtk_widget_get_template_child (GTK_WIDGET (f->page), EPSIMO_TYPE_FILES_PAGE, "name_column"));

  wait_n_listed (f, 3);

  /* By name at first, then by whichever column header is chosen. */
  assert_order (f, "a-large.txt,b-medium.txt,c-small.txt");
  g_assert_nonnull (gtk_column_view_column_get_sorter (size_column));
  gtk_column_view_sort_by_column (view, size_column, GTK_SORT_ASCENDING);
  assert_order (f, "c-small.txt,b-medium.txt,a-large.txt");
  gtk_column_view_sort_by_column (view, size_column, GTK_SORT_DESCENDING);
  assert_order (f, "a-large.txt,b-medium.txt,c-small.txt");
  gtk_column_view_sort_by_column (view, name_column, GTK_SORT_DESCENDING);
  assert_order (f, "c-small.txt,b-medium.txt,a-large.txt");

  /* The search entry filters by name, ignoring case. */
  gtk_editable_set_text (search, "SMALL");
  wait_n_listed (f, 1);
  assert_order (f, "c-small.txt");
  g_assert_cmpstr (stack_page (f), ==, "list");

  gtk_editable_set_text (search, "nothing like it");
  wait_n_listed (f, 0);
  g_assert_cmpstr (stack_page (f), ==, "no-results");

  gtk_editable_set_text (search, "");
  wait_n_listed (f, 3);
  g_assert_cmpstr (stack_page (f), ==, "list");
}

static gboolean
chooser_shown (gpointer data)
{
  return epsimo_ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
chooser_has_selection (gpointer data)
{
  g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (data));

  return g_list_model_get_n_items (files) == 1;
}

static void
test_chooser (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GFile) file = make_file (f, "chosen.md", 777);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  /* Ctrl+U's action opens the chooser (no portal here: GTK's own dialog stands in). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "files.upload", NULL));
  g_assert_true (epsimo_ui_test_wait_for (chooser_shown, NULL, TIMEOUT_MS));
  dialog = epsimo_ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_true (gtk_file_chooser_get_select_multiple (GTK_FILE_CHOOSER (dialog)));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)), ==,
                   GTK_FILE_CHOOSER_ACTION_OPEN);

  /* What a user's click does: the file chooser selects it once its folder is loaded. */
  gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, &error);
  g_assert_no_error (error);
  g_assert_true (epsimo_ui_test_wait_for (chooser_has_selection, dialog, TIMEOUT_MS));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  wait_listed (f, "chosen.md");
  assert_server_has (f, file, is_live (f) ? f->assistant_id : NULL);
}

static void
select_assistant (Fixture    *f,
                  const char *name)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (page_child (f, "assistant_dropdown"));
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EpsimoAssistant) assistant = g_list_model_get_item (model, i);

      if (g_str_equal (epsimo_assistant_get_name (assistant), name))
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_live_assistants (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *second_id = create_assistant (f, "Second");
  g_autoptr(GFile) first_file = make_file (f, "first.txt", 11);
  g_autoptr(GFile) second_file = make_file (f, "second.txt", 22);
  g_autoptr(GFile) orphan = make_file (f, "orphan.txt", 33);
  g_autoptr(GPtrArray) first_uploads = NULL;
  g_autoptr(GPtrArray) second_uploads = NULL;
  g_autoptr(EpsimoProject) bare = NULL;
  GFile *array[] = { orphan };
  GValue value = G_VALUE_INIT;
  gboolean accepted = TRUE;
  GtkWidget *button;

  /* The second assistant shows up on refresh; the chosen one stays chosen. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "files.refresh", NULL);
  epsimo_ui_test_spin (200);
  wait_settled (f);
  g_assert_cmpuint (g_list_model_get_n_items (
                      gtk_drop_down_get_model (GTK_DROP_DOWN (page_child (f,
                                                                          "assistant_dropdown")))),
                    ==, 2);

  first_uploads = upload_files (f, first_file, NULL);
  wait_listed (f, "first.txt");

  /* Each assistant has its own files, and new uploads go to the one chosen. */
  select_assistant (f, "Second");
  wait_settled (f);
  g_assert_cmpstr (stack_page (f), ==, "empty");
  second_uploads = upload_files (f, second_file, NULL);
  wait_listed (f, "second.txt");
  g_assert_cmpuint (find_listed (f, "first.txt"), ==, G_MAXUINT);

  select_assistant (f, "Librarian");
  wait_settled (f);
  wait_listed (f, "first.txt");
  g_assert_cmpuint (find_listed (f, "second.txt"), ==, G_MAXUINT);
  assert_server_has (f, first_file, f->assistant_id);
  assert_server_has (f, second_file, second_id);

  /* A project without assistants: nothing can be uploaded, and the page says why. */
  bare = epsimo_ui_test_create_project (f->session, "Bare");
  epsimo_files_page_set_project (f->page, bare);
  wait_settled (f);
  g_assert_cmpstr (stack_page (f), ==, "no-assistant");
  g_assert_false (gtk_widget_get_visible (page_child (f, "assistant_box")));
  g_assert_true (gtk_widget_get_visible (page_child (f, "assistant_note")));

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (array, 1));
  g_signal_emit_by_name (find_drop_target (GTK_WIDGET (f->page)), "drop", &value, 5.0, 5.0,
                         &accepted);
  g_value_unset (&value);
  g_assert_false (accepted);
  g_assert_cmpuint (f->toasts->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->toasts, 0), "Choose an assistant"));

  button = epsimo_ui_test_find_widget (page_child (f, "stack"), GTK_TYPE_BUTTON,
                                       "_Go to Assistants");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (f->sections->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->sections, 0), ==, "assistants");
}

static gboolean
banner_revealed (gpointer data)
{
  Fixture *f = data;

  return epsimo_error_banner_get_revealed (EPSIMO_ERROR_BANNER (page_child (f, "banner")));
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_revealed (data);
}

static void
test_list_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = upload_path (f);
  GtkWidget *banner = page_child (f, "banner");
  GtkWidget *retry;
  const char *message;

  /* The listing fails: the page says so in place, with Retry. */
  epsimo_test_server_fail (f->server, "GET", path, 403, 5, NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "files.refresh", NULL);
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, f, TIMEOUT_MS));
  wait_settled (f);
  g_assert_cmpstr (stack_page (f), ==, "error");
  message = epsimo_error_banner_get_message (EPSIMO_ERROR_BANNER (banner));
  g_test_message ("banner: %s", message);
  g_assert_true (g_str_has_prefix (message, "Could not load the files: "));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (page_child (f, "spinner"))));

  epsimo_test_server_reset (f->server);
  retry = epsimo_ui_test_find_widget (banner, GTK_TYPE_BUTTON, "_Retry");
  g_assert_nonnull (retry);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_true (epsimo_ui_test_wait_for (banner_hidden, f, TIMEOUT_MS));
  wait_settled (f);
  g_assert_cmpstr (stack_page (f), ==, "empty");
}

static void
test_sign_out (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GFile) file = make_file (f, "private.txt", 64);
  g_autoptr(GFile) pending = make_file (f, "pending.bin", BIG_SIZE);
  g_autoptr(GPtrArray) uploads = upload_files (f, file, NULL);
  g_autoptr(GPtrArray) stalled = NULL;
  g_autofree char *path = upload_path (f);
  EpsimoUpload *upload;

  wait_listed (f, "private.txt");

  epsimo_test_server_stall (f->server, "POST", path, 1);
  stalled = upload_files (f, pending, NULL);
  upload = g_ptr_array_index (stalled, 0);
  g_assert_true (epsimo_ui_test_wait_for (uploading_started, upload, TIMEOUT_MS));

  /* Signing out leaves nothing of the account on the page, and stops its uploads. */
  epsimo_files_page_set_session (f->page, NULL);
  g_assert_cmpstr (stack_page (f), ==, "none");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (f)), ==, 0);
  g_assert_cmpuint (queue_length (f), ==, 0);
  g_assert_null (epsimo_files_page_get_queue (f->page));
  g_assert_cmpint (epsimo_upload_get_state (upload), ==, EPSIMO_UPLOAD_CANCELLED);
  g_assert_false (gtk_widget_get_visible (page_child (f, "assistant_box")));
}

static void
add_both (const char *name,
          void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *live = g_strdup_printf ("/files/%s/live", name);
  g_autofree char *reference = g_strdup_printf ("/files/%s/reference", name);

  g_test_add (live, Fixture, "live", fixture_setup, func, fixture_teardown);
  g_test_add (reference, Fixture, "reference", fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  epsimo_ui_test_init (&argc, &argv);
  if (g_getenv ("EPSIMO_TEST_SERVER") == NULL)
    {
      g_test_skip ("EPSIMO_TEST_SERVER is not set");
      return 77;
    }

  add_both ("upload", test_upload);
  add_both ("queue", test_queue);
  add_both ("cancel", test_cancel);
  add_both ("retry", test_retry);
  add_both ("drop", test_drop);
  add_both ("delete", test_delete);
  add_both ("sort-filter", test_sort_filter);
  add_both ("chooser", test_chooser);
  g_test_add ("/files/assistants/live", Fixture, "live", fixture_setup, test_live_assistants,
              fixture_teardown);
  add_both ("list-error", test_list_error);
  add_both ("sign-out", test_sign_out);

  return g_test_run ();
}
