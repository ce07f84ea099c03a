/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Database page and panel in a real window against epsimo-test-server, in both dialects:
 * set and read back, invalid JSON, live state from a run, the conflict prompt, failed saves,
 * delete where the server has it, export and import. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "../epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "../epsimo-ui-test-session.h"
#include "api/epsimo-api-error.h"
#include "api/epsimo-json.h"
#include "database/epsimo-database-page.h"
#include "database/epsimo-database-panel.h"
#include "widgets/epsimo-json-editor.h"

#define PASSWORD EPSIMO_UI_TEST_PASSWORD
#define TIMEOUT_MS 30000

typedef struct
{
  const char          *dialect;
  EpsimoTestServer    *server;
  EpsimoSession       *session;
  EpsimoProject       *project;
  char                *assistant_id;
  char                *thread_a;      /* "Groceries" */
  char                *thread_b;      /* "Trip planning" */
  char                *tmpdir;
  GtkWidget           *window;
  EpsimoDatabasePage  *page;
  EpsimoDatabasePanel *panel;
  GPtrArray           *toasts;
  GPtrArray           *sections;
} Fixture;

static gboolean
is_live (Fixture *f)
{
  return g_str_equal (f->dialect, "live");
}

static const char *
project_id (Fixture *f)
{
  return epsimo_project_get_id (f->project);
}

static GtkWidget *
panel_child (Fixture    *f,
             const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (f->panel),
                                                  EPSIMO_TYPE_DATABASE_PANEL, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static GtkWidget *
page_child (Fixture    *f,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                  EPSIMO_TYPE_DATABASE_PAGE, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static EpsimoJsonEditor *
editor (Fixture *f)
{
  return EPSIMO_JSON_EDITOR (panel_child (f, "editor"));
}

static const char *
panel_view (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (panel_child (f, "stack")));
}

/* Waiting */

typedef struct
{
  Fixture    *f;
  const char *text;
  const char *key;
} Wanted;

static gboolean
panel_settled (gpointer data)
{
  Fixture *f = data;
  const char *name = panel_view (f);

  return g_strcmp0 (name, "keys") == 0 || g_strcmp0 (name, "empty") == 0
         || g_strcmp0 (name, "error") == 0;
}

static void
wait_settled (Fixture *f)
{
  g_assert_true (epsimo_ui_test_wait_for (panel_settled, f, TIMEOUT_MS));
}

static gboolean
has_toast (gpointer data)
{
  Wanted *wanted = data;

  for (guint i = 0; i < wanted->f->toasts->len; i++)
    if (g_str_equal (g_ptr_array_index (wanted->f->toasts, i), wanted->text))
      return TRUE;
  return FALSE;
}

static void
wait_toast (Fixture    *f,
            const char *text)
{
  Wanted wanted = { f, text, NULL };

  if (!epsimo_ui_test_wait_for (has_toast, &wanted, TIMEOUT_MS))
    {
      for (guint i = 0; i < f->toasts->len; i++)
        g_printerr ("toast: %s\n", (const char *) g_ptr_array_index (f->toasts, i));
      g_error ("No toast “%s”", text);
    }
}

static GtkWidget *
find_dialog (void)
{
  return epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static AdwMessageDialog *
wait_dialog (void)
{
  g_assert_true (epsimo_ui_test_wait_for (dialog_shown, NULL, TIMEOUT_MS));
  return ADW_MESSAGE_DIALOG (find_dialog ());
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

/* Clicks the button of @response, as a user does. */
static void
answer_dialog (AdwMessageDialog *dialog,
               const char       *response)
{
  const char *label = adw_message_dialog_get_response_label (dialog, response);
  GtkWidget *button = epsimo_ui_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (epsimo_ui_test_wait_for (dialog_gone, NULL, TIMEOUT_MS));
}

/* The rows of the key list, as a user sees them */

static GtkWidget *
find_row_in (GtkWidget  *widget,
             const char *key)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;

  if (gtk_widget_has_css_class (widget, "epsimo-database-row"))
    {
      GtkWidget *top = gtk_widget_get_first_child (widget);
      GtkWidget *label = gtk_widget_get_first_child (top);

      return g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), key) == 0 ? widget : NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_in (child, key);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_row (Fixture    *f,
          const char *key)
{
  return find_row_in (panel_child (f, "list_view"), key);
}

static const char *
row_preview (GtkWidget *row)
{
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (row)));
}

/* The status word beside the key, or NULL when none shows. */
static const char *
row_status (GtkWidget *row)
{
  GtkWidget *status = gtk_widget_get_last_child (gtk_widget_get_first_child (row));

  return gtk_widget_get_visible (status) ? gtk_label_get_text (GTK_LABEL (status)) : NULL;
}

static gboolean
row_shown (gpointer data)
{
  Wanted *wanted = data;

  return find_row (wanted->f, wanted->key) != NULL;
}

static GtkWidget *
wait_row (Fixture    *f,
          const char *key)
{
  Wanted wanted = { f, NULL, key };

  g_assert_true (epsimo_ui_test_wait_for (row_shown, &wanted, TIMEOUT_MS));
  return find_row (f, key);
}

static gboolean
row_preview_is (gpointer data)
{
  Wanted *wanted = data;
  GtkWidget *row = find_row (wanted->f, wanted->key);

  return row != NULL && g_strcmp0 (row_preview (row), wanted->text) == 0;
}

static GtkWidget *
wait_row_preview (Fixture    *f,
                  const char *key,
                  const char *preview)
{
  Wanted wanted = { f, preview, key };

  if (!epsimo_ui_test_wait_for (row_preview_is, &wanted, TIMEOUT_MS))
    {
      GtkWidget *row = find_row (f, key);

      g_error ("Row “%s” shows “%s”, not “%s”", key, row != NULL ? row_preview (row) : "(none)",
               preview);
    }
  return find_row (f, key);
}

static gboolean
row_status_is (gpointer data)
{
  Wanted *wanted = data;
  GtkWidget *row = find_row (wanted->f, wanted->key);

  return row != NULL && g_strcmp0 (row_status (row), wanted->text) == 0;
}

static void
wait_row_status (Fixture    *f,
                 const char *key,
                 const char *status)
{
  Wanted wanted = { f, status, key };

  g_assert_true (epsimo_ui_test_wait_for (row_status_is, &wanted, TIMEOUT_MS));
}

static gboolean
row_not_highlighted (gpointer data)
{
  Wanted *wanted = data;
  GtkWidget *row = find_row (wanted->f, wanted->key);

  return row != NULL && !gtk_widget_has_css_class (row, "changed");
}

/* Selects @key in the list, as a click on its row does. */
static void
select_key (Fixture    *f,
            const char *key)
{
  GtkSingleSelection *selection =
    GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (panel_child (f, "list_view"))));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (selection), i);
      g_autofree char *name = NULL;

      g_object_get (item, "key", &name, NULL);
      if (g_strcmp0 (name, key) == 0)
        {
          gtk_single_selection_set_selected (selection, i);
          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (panel_child (f, "key_label"))), ==,
                           key);
          return;
        }
    }

  g_error ("No key “%s” listed", key);
}

static void
type_value (Fixture    *f,
            const char *text)
{
  epsimo_json_editor_set_text (editor (f), text);
}

/* "save_button" (found by its label, as a user does) or another template child. */
static gboolean
button_sensitive (Fixture    *f,
                  const char *name)
{
  GtkWidget *button = g_str_equal (name, "save_button")
                      ? epsimo_ui_test_find_widget (GTK_WIDGET (f->panel), GTK_TYPE_BUTTON,
                                                    "_Save")
                      : panel_child (f, name);

  g_assert_nonnull (button);

  return gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button);
}

static const char *
status_text (Fixture *f)
{
  GtkWidget *label = panel_child (f, "status_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static void
save (Fixture *f)
{
  g_assert_true (button_sensitive (f, "save_button"));
  /* Only what this save says counts. */
  g_ptr_array_set_size (f->toasts, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.save", NULL));
}

/* The service, behind the panel's back */

static void
db_set (Fixture    *f,
        const char *thread_id,
        const char *key,
        const char *json)
{
  EpsimoDatabaseService *service = epsimo_session_get_database (f->session);
  g_autoptr(JsonNode) value = json_from_string (json, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean done;

  g_assert_nonnull (value);
  epsimo_database_service_set_key_async (service, project_id (f), thread_id, key, value, NULL,
                                         epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  /* The error first: it says what went wrong. */
  done = epsimo_database_service_set_key_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_true (done);
}

/* The key's value on the server as compact JSON, or NULL when it has no such key. */
static char *
db_get (Fixture    *f,
        const char *thread_id,
        const char *key)
{
  EpsimoDatabaseService *service = epsimo_session_get_database (f->session);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  epsimo_database_service_get_key_async (service, project_id (f), thread_id, key, NULL,
                                         epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  value = epsimo_database_service_get_key_finish (service, result, &error);
  if (g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND))
    return NULL;
  g_assert_no_error (error);
  return json_to_string (value, FALSE);
}

static void
assert_json_equal (const char *actual,
                   const char *expected)
{
  g_autoptr(JsonNode) a = json_from_string (actual, NULL);
  g_autoptr(JsonNode) b = json_from_string (expected, NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  if (!epsimo_json_node_equal (a, b))
    g_error ("JSON %s is not %s", actual, expected);
}

/* The path the server got for setting @key of @thread_id, per dialect. */
static char *
set_path (Fixture    *f,
          const char *thread_id,
          const char *key)
{
  if (is_live (f))
    return g_strdup_printf ("/threads/%s/state", thread_id);
  return g_strdup_printf ("/db/%s/%s/%s", project_id (f), thread_id, key);
}

static const char *
set_method (Fixture *f)
{
  return is_live (f) ? "POST" : "PUT";
}

/* Checks the last set of @key the server got carried @json, in its dialect's shape. */
static void
assert_server_got (Fixture    *f,
                   const char *thread_id,
                   const char *key,
                   const char *json)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (f->server);
  g_autofree char *path = set_path (f, thread_id, key);
  JsonObject *request = epsimo_test_find_request (requests, set_method (f), path);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) wanted = json_from_string (json, NULL);
  JsonNode *sent;

  g_assert_nonnull (request);
  body = epsimo_test_request_body (request);
  g_assert_nonnull (body);
  if (is_live (f))
    {
      JsonObject *values = epsimo_json_get_object (body, "values");

      g_assert_nonnull (values);
      g_assert_cmpuint (json_object_get_size (values), ==, 1);
      sent = json_object_get_member (values, key);
    }
  else
    sent = json_object_get_member (body, "value");

  g_assert_nonnull (sent);
  g_assert_true (epsimo_json_node_equal (sent, wanted));
}

static guint
count_sets (Fixture    *f,
            const char *thread_id,
            const char *key)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (f->server);
  g_autofree char *path = set_path (f, thread_id, key);

  return epsimo_test_count_requests (requests, set_method (f), path);
}

/* Set-up */

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

  epsimo_assistant_set_instructions (draft, "You remember things.");
  epsimo_assistants_service_create_async (service, project_id (f), draft, NULL,
                                          epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  assistant = epsimo_assistants_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assistant);
  return g_strdup (epsimo_assistant_get_id (assistant));
}

static char *
create_thread (Fixture    *f,
               const char *name)
{
  EpsimoThreadsService *service = epsimo_session_get_threads (f->session);
  g_autoptr(EpsimoThread) draft = epsimo_thread_new (name, f->assistant_id);
  g_autoptr(EpsimoThread) thread = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  epsimo_threads_service_create_async (service, project_id (f), draft, NULL,
                                       epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  thread = epsimo_threads_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (thread);
  return g_strdup (epsimo_thread_get_id (thread));
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

  email = g_strdup_printf ("database.%u.%u@example.test", (guint) getpid (), ++counter);
  f->session = epsimo_ui_test_sign_up (f->server, email);

  f->project = epsimo_ui_test_create_project (f->session, "Memory");
  f->assistant_id = create_assistant (f, "Rememberer");
  f->thread_a = create_thread (f, "Groceries");
  f->thread_b = create_thread (f, "Trip planning");
  f->tmpdir = g_dir_make_tmp ("epsimo-database-XXXXXX", &error);
  g_assert_no_error (error);
  f->toasts = g_ptr_array_new_with_free_func (g_free);
  f->sections = g_ptr_array_new_with_free_func (g_free);

  /* A window like the real one: "win.toast" and "win.show-section" exist. */
  f->window = g_object_new (ADW_TYPE_APPLICATION_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 720);
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), f);
  gtk_widget_insert_action_group (f->window, "win", G_ACTION_GROUP (group));

  f->page = EPSIMO_DATABASE_PAGE (epsimo_database_page_new ());
  f->panel = epsimo_database_page_get_panel (f->page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (f->window),
                                      GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
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

  while ((dialog = find_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (f->window));
  epsimo_ui_test_spin (50);

  g_clear_object (&f->session);
  g_clear_object (&f->project);
  g_clear_pointer (&f->assistant_id, g_free);
  g_clear_pointer (&f->thread_a, g_free);
  g_clear_pointer (&f->thread_b, g_free);
  g_clear_pointer (&f->server, epsimo_test_server_stop);
  remove_tree (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->toasts, g_ptr_array_unref);
  g_clear_pointer (&f->sections, g_ptr_array_unref);
}

/* Shows the project and picks the thread called @name in the picker, as a user does. */
static void
open_thread (Fixture    *f,
             const char *name,
             const char *thread_id)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (page_child (f, "thread_dropdown"));
  GListModel *threads;
  guint n;

  if (epsimo_database_page_get_project (f->page) == NULL)
    {
      g_object_set (f->page, "session", f->session, "project", f->project, NULL);
      g_assert_true (epsimo_ui_test_wait_for ((EpsimoUiTestCondition) gtk_widget_get_visible,
                                              page_child (f, "picker_box"), TIMEOUT_MS));
    }

  threads = gtk_drop_down_get_model (dropdown);
  n = g_list_model_get_n_items (threads);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoThread) thread = g_list_model_get_item (threads, i);

      if (g_strcmp0 (epsimo_thread_get_name (thread), name) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          g_assert_cmpstr (epsimo_database_panel_get_thread_id (f->panel), ==, thread_id);
          wait_settled (f);
          return;
        }
    }

  g_error ("No thread “%s” in the picker", name);
}

/* Tests */

static void
test_set_and_read (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *add_entry = panel_child (f, "add_entry");
  GtkWidget *add_error = panel_child (f, "add_error");
  GtkWidget *add_confirm = panel_child (f, "add_confirm");
  g_autofree char *seed = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *get_path = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonNode) seeded = NULL;
  GtkWidget *row;

  db_set (f, f->thread_a, "size", "42");
  /* The conversation is part of the live state: it must never show as a key. */
  seed = g_strdup_printf ("{\"thread_id\": \"%s\", \"count\": 4}", f->thread_b);
  seeded = epsimo_test_server_control (f->server, "POST", "seed-messages", seed);

  open_thread (f, "Trip planning", f->thread_b);
  g_assert_cmpstr (panel_view (f), ==, "empty");
  g_assert_null (find_row (f, "messages"));

  /* Add a key: the name must be new and not empty. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.add-key", NULL));
  g_assert_true (epsimo_ui_test_wait_for ((EpsimoUiTestCondition) gtk_widget_get_mapped,
                                          add_entry, TIMEOUT_MS));
  g_assert_false (gtk_widget_is_sensitive (add_confirm));
  gtk_editable_set_text (GTK_EDITABLE (add_entry), "messages");
  g_assert_true (gtk_widget_get_visible (add_error));
  g_assert_false (gtk_widget_is_sensitive (add_confirm));
  gtk_editable_set_text (GTK_EDITABLE (add_entry), "colour");
  g_assert_false (gtk_widget_get_visible (add_error));
  g_signal_emit_by_name (add_confirm, "clicked");

  g_assert_cmpstr (panel_view (f), ==, "keys");
  row = wait_row (f, "colour");
  g_assert_cmpstr (row_status (row), ==, "New, not saved");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (panel_child (f, "key_label"))), ==, "colour");
  g_assert_cmpstr (status_text (f), ==, "New key: it is created when you save its value.");
  /* Nothing typed yet: nothing to save. */
  g_assert_false (button_sensitive (f, "save_button"));

  epsimo_test_server_clear_requests (f->server);
  type_value (f, "{\"hue\": \"blue\", \"shades\": [1, 2.5]}");
  save (f);
  wait_toast (f, "Key “colour” saved");

  /* What the server got, in its dialect, and what it now has. */
  assert_server_got (f, f->thread_b, "colour", "{\"hue\": \"blue\", \"shades\": [1, 2.5]}");
  stored = db_get (f, f->thread_b, "colour");
  assert_json_equal (stored, "{\"hue\": \"blue\", \"shades\": [1, 2.5]}");
  /* The save looked at the server's value first. */
  requests = epsimo_test_server_get_requests (f->server);
  get_path = is_live (f) ? g_strdup_printf ("/threads/%s/state", f->thread_b)
                         : g_strdup_printf ("/db/%s/%s/colour", project_id (f), f->thread_b);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", get_path), >=, 1);

  row = wait_row_preview (f, "colour", "{\"hue\":\"blue\",\"shades\":[1,2.5]}");
  g_assert_null (row_status (row));
  g_assert_null (status_text (f));
  g_assert_false (button_sensitive (f, "save_button"));

  /* The same name again is refused in place. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.add-key", NULL));
  g_assert_true (epsimo_ui_test_wait_for ((EpsimoUiTestCondition) gtk_widget_get_mapped,
                                          add_entry, TIMEOUT_MS));
  gtk_editable_set_text (GTK_EDITABLE (add_entry), "colour");
  g_assert_true (gtk_widget_get_visible (add_error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (add_error)), ==,
                   "This thread already has a key “colour”.");
  g_assert_false (gtk_widget_is_sensitive (add_confirm));
  gtk_popover_popdown (GTK_POPOVER (panel_child (f, "add_popover")));

  /* Read back: the other thread has its own keys. */
  open_thread (f, "Groceries", f->thread_a);
  wait_row_preview (f, "size", "42");
  g_assert_null (find_row (f, "colour"));
  open_thread (f, "Trip planning", f->thread_b);
  wait_row_preview (f, "colour", "{\"hue\":\"blue\",\"shades\":[1,2.5]}");
  g_assert_null (find_row (f, "size"));
  g_assert_null (find_row (f, "messages"));

  /* Signing out leaves nothing of the account on screen. */
  g_object_set (f->page, "session", NULL, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (page_child (f, "stack"))), ==,
                   "none");
  g_assert_null (epsimo_database_panel_get_thread_id (f->panel));
  g_assert_cmpstr (panel_view (f), ==, "none");
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  AdwMessageDialog *dialog;
  g_autofree char *path = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(JsonArray) requests = NULL;

  db_set (f, f->thread_a, "old", "\"stale\"");
  db_set (f, f->thread_a, "keep", "true");
  open_thread (f, "Groceries", f->thread_a);
  wait_row (f, "old");
  select_key (f, "old");

  if (is_live (f))
    {
      /* The live backend cannot delete a key: the button is not offered. */
      g_assert_false (gtk_widget_get_visible (panel_child (f, "delete_button")));
      g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.delete",
                                                  NULL)
                      && find_dialog () != NULL);
      return;
    }

  g_assert_true (button_sensitive (f, "delete_button"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.delete", NULL));
  dialog = wait_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “old”?");
  answer_dialog (dialog, "cancel");
  g_assert_nonnull (find_row (f, "old"));

  epsimo_test_server_clear_requests (f->server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.delete", NULL));
  answer_dialog (wait_dialog (), "delete");
  wait_toast (f, "Key “old” deleted");
  g_assert_null (find_row (f, "old"));
  g_assert_nonnull (find_row (f, "keep"));

  requests = epsimo_test_server_get_requests (f->server);
  path = g_strdup_printf ("/db/%s/%s/old", project_id (f), f->thread_a);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "DELETE", path), ==, 1);
  gone = db_get (f, f->thread_a, "old");
  g_assert_null (gone);
}

static char *
read_clipboard (Fixture *f)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->panel));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  char *text;

  gdk_clipboard_read_text_async (clipboard, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  text = gdk_clipboard_read_text_finish (clipboard, result, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_invalid_json (Fixture       *f,
                   gconstpointer  data)
{
  const char *error;
  GtkWidget *error_label;
  g_autofree char *stored = NULL;
  g_autofree char *text = NULL;

  db_set (f, f->thread_a, "list", "[\"milk\"]");
  open_thread (f, "Groceries", f->thread_a);
  wait_row (f, "list");
  select_key (f, "list");
  g_assert_null (status_text (f));

  epsimo_test_server_clear_requests (f->server);
  type_value (f, "[\"milk\",\n  \"eggs\",]");
  g_assert_false (epsimo_json_editor_get_valid (editor (f)));
  error = epsimo_json_editor_get_error (editor (f));
  g_assert_nonnull (error);
  g_assert_cmpstr (error, ==, "Line 2, column 10: a comma cannot come before “]”");
  /* The error shows under the text, where the user looks. */
  error_label = epsimo_ui_test_find_widget (GTK_WIDGET (editor (f)), GTK_TYPE_LABEL, error);
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));

  /* Save is blocked: neither the button nor the shortcut's action sends anything. */
  g_assert_false (button_sensitive (f, "save_button"));
  g_assert_cmpstr (status_text (f), ==, "Unsaved changes");
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.save", NULL);
  epsimo_ui_test_spin (200);
  g_assert_cmpuint (count_sets (f, f->thread_a, "list"), ==, 0);
  stored = db_get (f, f->thread_a, "list");
  assert_json_equal (stored, "[\"milk\"]");

  /* Format does nothing to invalid text, and tidies valid text (not an edit by itself). */
  type_value (f, "[\"milk\"]");
  g_assert_null (status_text (f));
  g_assert_false (button_sensitive (f, "save_button"));
  type_value (f, "[\"milk\",\"eggs\"]");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.format", NULL));
  text = epsimo_json_editor_dup_text (editor (f));
  g_assert_cmpstr (text, ==, "[\n  \"milk\",\n  \"eggs\"\n]\n");
  g_assert_cmpstr (status_text (f), ==, "Unsaved changes");

  /* Copy puts the value shown on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.copy", NULL));
  wait_toast (f, "Value copied");
  g_clear_pointer (&text, g_free);
  text = read_clipboard (f);
  g_assert_cmpstr (text, ==, "[\n  \"milk\",\n  \"eggs\"\n]");

  /* Revert goes back to the server's value. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.revert", NULL));
  g_clear_pointer (&text, g_free);
  text = epsimo_json_editor_dup_text (editor (f));
  g_assert_cmpstr (text, ==, "[\n  \"milk\"\n]\n");
  g_assert_null (status_text (f));
  g_assert_null (row_status (find_row (f, "list")));
}

/* A run started the way the chat page starts one; its STATE events go to the panel. */
typedef struct
{
  Fixture  *f;
  gboolean  done;
  guint     states;
} Run;

static void
on_run_event (EpsimoRunStream *stream,
              EpsimoRunEvent  *event,
              Run             *run)
{
  if (event->kind == EPSIMO_RUN_EVENT_STATE)
    {
      run->states++;
      epsimo_database_panel_apply_state (run->f->panel, event->values);
    }
  else if (event->kind == EPSIMO_RUN_EVENT_DONE)
    run->done = TRUE;
  else if (event->kind == EPSIMO_RUN_EVENT_ERROR)
    g_error ("The run failed: %s", event->error_message);
}

static void
run_remember (Fixture    *f,
              const char *text)
{
  EpsimoRunsService *service = epsimo_session_get_runs (f->session);
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  Run run = { f, FALSE, 0 };

  epsimo_runs_service_start_async (service, project_id (f), f->thread_a, f->assistant_id, text,
                                   NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  stream = epsimo_runs_service_start_finish (service, result, &error);
  g_assert_no_error (error);
  g_signal_connect (stream, "event", G_CALLBACK (on_run_event), &run);
  epsimo_test_wait_flag (&run.done);
  g_signal_handlers_disconnect_by_func (stream, on_run_event, &run);

  if (is_live (f))
    g_assert_cmpuint (run.states, >, 0);
  else
    {
      /* The reference stream carries no state: the panel is refreshed after the run, as the
       * chat page does with a NULL state. */
      g_assert_cmpuint (run.states, ==, 0);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "database.refresh",
                                                 NULL));
    }
}

static void
test_remember (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *row;
  g_autofree char *text = NULL;
  g_autofree char *stored = NULL;
  Wanted fade = { f, NULL, "city" };

  db_set (f, f->thread_a, "mood", "\"calm\"");
  db_set (f, f->thread_a, "city", "\"Paris\"");
  open_thread (f, "Groceries", f->thread_a);
  row = wait_row_preview (f, "city", "\"Paris\"");
  g_assert_false (gtk_widget_has_css_class (row, "changed"));

  /* An unsaved edit of another key, which the run changes too. */
  select_key (f, "mood");
  type_value (f, "\"sleepy\"");

  run_remember (f, "remember city = Lisbon");
  row = wait_row_preview (f, "city", "\"Lisbon\"");
  g_assert_true (gtk_widget_has_css_class (row, "changed"));
  g_assert_null (find_row (f, "messages"));
  g_assert_cmpstr (row_status (find_row (f, "mood")), ==, "Unsaved changes");

  run_remember (f, "remember mood = happy");
  /* The edit is not clobbered: the key says the server changed instead. */
  wait_row_status (f, "mood", "Changed on the server");
  row = find_row (f, "mood");
  g_assert_cmpstr (row_preview (row), ==, "\"calm\"");
  g_assert_true (gtk_widget_has_css_class (row, "changed"));
  text = epsimo_json_editor_dup_text (editor (f));
  g_assert_cmpstr (text, ==, "\"sleepy\"");
  g_assert_true (g_str_has_prefix (status_text (f), "This value changed on the server"));
  g_assert_true (button_sensitive (f, "save_button"));

  /* Saving it asks first; overwriting keeps the user's value. */
  save (f);
  answer_dialog (wait_dialog (), "overwrite");
  wait_toast (f, "Key “mood” saved");
  stored = db_get (f, f->thread_a, "mood");
  assert_json_equal (stored, "\"sleepy\"");
  wait_row_preview (f, "mood", "\"sleepy\"");
  g_assert_null (row_status (find_row (f, "mood")));

  /* The highlight goes by itself. */
  g_assert_true (epsimo_ui_test_wait_for (row_not_highlighted, &fade, TIMEOUT_MS));
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  AdwMessageDialog *dialog;
  g_autofree char *stored = NULL;
  g_autofree char *text = NULL;
  g_autofree char *fail_path = NULL;
  guint sets;

  db_set (f, f->thread_b, "plan", "{\"step\": 1}");
  open_thread (f, "Trip planning", f->thread_b);
  wait_row (f, "plan");
  select_key (f, "plan");

  /* Someone else changes the value while it is edited here: Overwrite. */
  type_value (f, "{\"step\": 2}");
  db_set (f, f->thread_b, "plan", "{\"step\": 5}");
  save (f);
  dialog = wait_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "“plan” Changed on the Server");
  g_assert_true (adw_message_dialog_has_response (dialog, "overwrite"));
  g_assert_true (adw_message_dialog_has_response (dialog, "reload"));
  answer_dialog (dialog, "overwrite");
  wait_toast (f, "Key “plan” saved");
  stored = db_get (f, f->thread_b, "plan");
  assert_json_equal (stored, "{\"step\": 2}");
  assert_server_got (f, f->thread_b, "plan", "{\"step\": 2}");

  /* Again: Reload drops the edit for the server's value, and sends nothing. */
  type_value (f, "{\"step\": 3}");
  db_set (f, f->thread_b, "plan", "{\"step\": 7}");
  epsimo_test_server_clear_requests (f->server);
  save (f);
  answer_dialog (wait_dialog (), "reload");
  text = epsimo_json_editor_dup_text (editor (f));
  g_assert_cmpstr (text, ==, "{\n  \"step\": 7\n}\n");
  g_assert_null (status_text (f));
  g_assert_false (button_sensitive (f, "save_button"));
  wait_row_preview (f, "plan", "{\"step\":7}");
  g_assert_cmpuint (count_sets (f, f->thread_b, "plan"), ==, 0);
  g_clear_pointer (&stored, g_free);
  stored = db_get (f, f->thread_b, "plan");
  assert_json_equal (stored, "{\"step\": 7}");

  /* A failed save keeps the edit, marked unsaved, with the server's reason. */
  type_value (f, "{\"step\": 8}");
  fail_path = set_path (f, f->thread_b, "plan");
  epsimo_test_server_fail (f->server, set_method (f), fail_path, 422, 1,
                           "{\"detail\": \"The value is too large\"}");
  save (f);
  wait_row_status (f, "plan", "Not saved");
  g_assert_nonnull (strstr (status_text (f), "Not saved:"));
  g_assert_nonnull (strstr (status_text (f), "The value is too large"));
  g_clear_pointer (&text, g_free);
  text = epsimo_json_editor_dup_text (editor (f));
  g_assert_cmpstr (text, ==, "{\"step\": 8}");
  g_clear_pointer (&stored, g_free);
  stored = db_get (f, f->thread_b, "plan");
  assert_json_equal (stored, "{\"step\": 7}");

  /* The edit survives a trip to another thread, and saves once the server takes it. */
  open_thread (f, "Groceries", f->thread_a);
  open_thread (f, "Trip planning", f->thread_b);
  wait_row_status (f, "plan", "Not saved");
  select_key (f, "plan");
  g_clear_pointer (&text, g_free);
  text = epsimo_json_editor_dup_text (editor (f));
  g_assert_cmpstr (text, ==, "{\"step\": 8}");
  sets = count_sets (f, f->thread_b, "plan");
  save (f);
  wait_toast (f, "Key “plan” saved");
  g_assert_cmpuint (count_sets (f, f->thread_b, "plan"), ==, sets + 1);
  g_clear_pointer (&stored, g_free);
  stored = db_get (f, f->thread_b, "plan");
  assert_json_equal (stored, "{\"step\": 8}");
  g_assert_null (row_status (find_row (f, "plan")));
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
import_file (Fixture    *f,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  epsimo_database_panel_import_from_file (f->panel, file);
}

static void
test_export_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "db.json", NULL);
  g_autofree char *other = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *row;

  db_set (f, f->thread_a, "a", "1");
  db_set (f, f->thread_a, "b", "{\"x\": [1, 2]}");
  db_set (f, f->thread_a, "note", "\"hi\"");
  open_thread (f, "Groceries", f->thread_a);
  wait_row (f, "note");

  /* Export: the whole state, as one object. */
  epsimo_database_panel_export_to_file (f->panel, file);
  wait_toast (f, "Database exported to “db.json”");
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  assert_json_equal (contents, "{\"a\": 1, \"b\": {\"x\": [1, 2]}, \"note\": \"hi\"}");

  /* The server moves on; importing the file puts back what changed, after a summary. */
  db_set (f, f->thread_a, "a", "99");
  db_set (f, f->thread_a, "d", "true");
  epsimo_test_server_clear_requests (f->server);
  import_file (f, path);
  dialog = wait_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Import “db.json”?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "Changed: a");
  answer_dialog (dialog, "import");
  wait_toast (f, "1 key imported");
  stored = db_get (f, f->thread_a, "a");
  assert_json_equal (stored, "1");
  g_clear_pointer (&stored, g_free);
  stored = db_get (f, f->thread_a, "d");
  assert_json_equal (stored, "true");
  /* Only the changed key was sent. */
  g_assert_cmpuint (count_sets (f, f->thread_a, "a"), ==, 1);
  if (!is_live (f))
    g_assert_cmpuint (count_sets (f, f->thread_a, "b"), ==, 0);
  wait_row_preview (f, "a", "1");
  wait_row_preview (f, "d", "true");

  /* Added keys are listed, the conversation is left out, and Cancel sets nothing. */
  other = write_file (f, "more.json", "{\"a\": 1, \"c\": [true], \"messages\": []}");
  import_file (f, other);
  dialog = wait_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "Added: c\n“messages” and unnamed keys are left out: the conversation "
                   "cannot be imported.");
  answer_dialog (dialog, "cancel");
  g_clear_pointer (&stored, g_free);
  stored = db_get (f, f->thread_a, "c");
  g_assert_null (stored);

  import_file (f, other);
  g_ptr_array_set_size (f->toasts, 0);
  answer_dialog (wait_dialog (), "import");
  wait_toast (f, "1 key imported");
  row = wait_row_preview (f, "c", "[true]");
  g_assert_true (gtk_widget_has_css_class (row, "changed"));
  g_clear_pointer (&stored, g_free);
  stored = db_get (f, f->thread_a, "c");
  assert_json_equal (stored, "[true]");

  /* Nothing new: said so, no dialog. */
  import_file (f, path);
  wait_toast (f, "Nothing to import: the thread already has the values of “db.json”");
  g_assert_null (find_dialog ());

  /* Not an object: refused with the reason. */
  bad = write_file (f, "bad.json", "[1, 2]");
  import_file (f, bad);
  wait_toast (f, "Could not import “bad.json”: it does not hold a JSON object");
  g_assert_null (find_dialog ());
}

static void
add_both (const char *name,
          void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *live = g_strdup_printf ("/database/%s/live", name);
  g_autofree char *reference = g_strdup_printf ("/database/%s/reference", name);

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

  add_both ("set-and-read", test_set_and_read);
  add_both ("delete", test_delete);
  g_test_add ("/database/invalid-json", Fixture, "reference", fixture_setup, test_invalid_json,
              fixture_teardown);
  add_both ("remember", test_remember);
  add_both ("conflict", test_conflict);
  add_both ("export-import", test_export_import);

  return g_test_run ();
}
