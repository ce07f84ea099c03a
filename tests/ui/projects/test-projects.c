/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The projects sidebar, dialogs and overview in a real window, against epsimo-test-server
 * in both dialects. The window here does what EpsimoWindow does for these widgets: the
 * list's current project is the overview's project, and it offers win.toast,
 * win.show-section and win.refresh-projects (recorded, to check what the user was told). */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "../epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "../epsimo-ui-test-session.h"
#include "epsimo-session.h"
#include "projects/epsimo-project-delete-dialog.h"
#include "projects/epsimo-project-dialog.h"
#include "projects/epsimo-project-list.h"
#include "projects/epsimo-project-overview.h"
#include "widgets/epsimo-error-banner.h"

#define PASSWORD EPSIMO_UI_TEST_PASSWORD
#define TIMEOUT 15000

static EpsimoTestServer *live_server;
static EpsimoTestServer *reference_server;

typedef struct
{
  EpsimoTestServer      *server;
  EpsimoSession         *session;
  char                  *email;
  GtkWidget             *window;
  EpsimoProjectList     *list;
  EpsimoProjectOverview *overview;
  GPtrArray             *toasts;
  GPtrArray             *sections;
} Fixture;

/* The window's side */

static void
toast_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->toasts, g_variant_dup_string (parameter, NULL));
}

static void
show_section_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->sections, g_variant_dup_string (parameter, NULL));
}

static void
refresh_projects_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  Fixture *fixture = user_data;

  epsimo_project_list_reload (fixture->list);
}

static char *
unique_email (void)
{
  static guint counter;

  return g_strdup_printf ("projects.%u.%u@example.test", (guint) getpid (), ++counter);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const GActionEntry entries[] = {
    { "toast", toast_activated, "s", NULL, NULL, { 0 } },
    { "show-section", show_section_activated, "s", NULL, NULL, { 0 } },
    { "refresh-projects", refresh_projects_activated, NULL, NULL, NULL, { 0 } },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *box;

  fixture->server = g_str_equal (data, "live") ? live_server : reference_server;
  fixture->toasts = g_ptr_array_new_with_free_func (g_free);
  fixture->sections = g_ptr_array_new_with_free_func (g_free);
  fixture->email = unique_email ();

  fixture->session = epsimo_ui_test_sign_up (fixture->server, fixture->email);

  /* The servers live for the whole run: each test reads only its own requests. */
  epsimo_test_server_clear_requests (fixture->server);

  fixture->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries),
                                   fixture);
  gtk_widget_insert_action_group (fixture->window, "win", G_ACTION_GROUP (group));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  fixture->list = EPSIMO_PROJECT_LIST (epsimo_project_list_new ());
  gtk_widget_set_size_request (GTK_WIDGET (fixture->list), 260, -1);
  fixture->overview = EPSIMO_PROJECT_OVERVIEW (epsimo_project_overview_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (fixture->overview), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->list));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->overview));
  adw_window_set_content (ADW_WINDOW (fixture->window), box);

  g_object_bind_property (fixture->list, "selected-project", fixture->overview, "project",
                          G_BINDING_SYNC_CREATE);
  epsimo_project_overview_set_session (fixture->overview, fixture->session);
  epsimo_project_list_set_session (fixture->list, fixture->session);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Dialogs a failed test left open go too. */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      gtk_window_destroy (window);
    }
  epsimo_ui_test_spin (20);
  epsimo_test_server_reset (fixture->server);

  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->email, g_free);
  g_clear_pointer (&fixture->toasts, g_ptr_array_unref);
  g_clear_pointer (&fixture->sections, g_ptr_array_unref);
}

/* What the user sees */

static GtkWidget *
child_of (gpointer     widget,
          GType        type,
          const char  *name)
{
  GtkWidget *child = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (widget), type,
                                                                name));

  g_assert_nonnull (child);
  return child;
}

static GtkWidget *
list_child (Fixture    *fixture,
            const char *name)
{
  return child_of (fixture->list, EPSIMO_TYPE_PROJECT_LIST, name);
}

static GtkWidget *
overview_child (Fixture    *fixture,
                const char *name)
{
  return child_of (fixture->overview, EPSIMO_TYPE_PROJECT_OVERVIEW, name);
}

static const char *
list_page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (list_child (fixture, "stack")));
}

/* The rows the list view offers, in order (its model: sorted and filtered). */
static GListModel *
shown_model (Fixture *fixture)
{
  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_child (fixture,
                                                                           "list_view"))));
}

static guint
shown_count (Fixture *fixture)
{
  return g_list_model_get_n_items (shown_model (fixture));
}

static char *
shown_names (Fixture *fixture)
{
  GListModel *model = shown_model (fixture);
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EpsimoProject) project = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, epsimo_project_get_name (project));
    }
  return g_string_free (names, FALSE);
}

static EpsimoProject *
find_shown (Fixture    *fixture,
            const char *name)
{
  GListModel *model = shown_model (fixture);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EpsimoProject) project = g_list_model_get_item (model, i);

      if (g_strcmp0 (epsimo_project_get_name (project), name) == 0)
        return project; /* the model keeps it */
    }
  return NULL;
}

static const char *
selected_name (Fixture *fixture)
{
  EpsimoProject *project = epsimo_project_list_get_selected_project (fixture->list);

  return project != NULL ? epsimo_project_get_name (project) : NULL;
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
  guint       count;
  GtkWidget  *widget;
} Check;

static gboolean
page_is (gpointer data)
{
  Check *check = data;

  return g_strcmp0 (list_page (check->fixture), check->text) == 0;
}

static gboolean
shows_count (gpointer data)
{
  Check *check = data;

  return shown_count (check->fixture) == check->count
         && g_strcmp0 (list_page (check->fixture), "loading") != 0;
}

static gboolean
shows_name (gpointer data)
{
  Check *check = data;

  return find_shown (check->fixture, check->text) != NULL;
}

static gboolean
lacks_name (gpointer data)
{
  return !shows_name (data);
}

static gboolean
selected_is (gpointer data)
{
  Check *check = data;

  return g_strcmp0 (selected_name (check->fixture), check->text) == 0;
}

static gboolean
no_toplevel_of (gpointer type)
{
  return epsimo_ui_test_find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

static gboolean
has_toplevel_of (gpointer type)
{
  return !no_toplevel_of (type);
}

static gboolean
has_toast (gpointer data)
{
  Check *check = data;

  return check->fixture->toasts->len > 0;
}

static gboolean
label_is (gpointer data)
{
  Check *check = data;
  GtkWidget *label = check->widget;

  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), check->text) == 0
         && gtk_widget_get_visible (label);
}

static gboolean
banner_revealed (gpointer banner)
{
  return epsimo_error_banner_get_revealed (banner);
}

static gboolean
banner_hidden (gpointer banner)
{
  return !epsimo_error_banner_get_revealed (banner);
}

static void
wait_page (Fixture    *fixture,
           const char *page)
{
  Check check = { fixture, page, 0, NULL };

  if (!epsimo_ui_test_wait_for (page_is, &check, TIMEOUT))
    g_error ("The list shows “%s”, not “%s”", list_page (fixture), page);
}

static void
wait_count (Fixture *fixture,
            guint    count)
{
  Check check = { fixture, NULL, count, NULL };

  if (!epsimo_ui_test_wait_for (shows_count, &check, TIMEOUT))
    g_error ("The list shows %u projects, not %u", shown_count (fixture), count);
}

static void
wait_shown (Fixture    *fixture,
            const char *name)
{
  Check check = { fixture, name, 0, NULL };

  if (!epsimo_ui_test_wait_for (shows_name, &check, TIMEOUT))
    {
      g_autofree char *names = shown_names (fixture);

      g_error ("“%s” is not listed: %s", name, names);
    }
}

static void
wait_selected (Fixture    *fixture,
               const char *name)
{
  Check check = { fixture, name, 0, NULL };

  if (!epsimo_ui_test_wait_for (selected_is, &check, TIMEOUT))
    g_error ("The current project is “%s”, not “%s”", selected_name (fixture), name);
}

static void
wait_label (GtkWidget  *label,
            const char *text)
{
  Check check = { NULL, text, 0, label };

  if (!epsimo_ui_test_wait_for (label_is, &check, TIMEOUT))
    g_error ("The label says “%s”, not “%s”", gtk_label_get_text (GTK_LABEL (label)), text);
}

static void
wait_subtitle (Fixture    *fixture,
               const char *row_name,
               const char *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (overview_child (fixture, row_name));
  gint64 end = g_get_monotonic_time () + TIMEOUT * G_TIME_SPAN_MILLISECOND;

  while (g_strcmp0 (adw_action_row_get_subtitle (row), subtitle) != 0
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, subtitle);
}

static GtkWidget *
wait_toplevel (GType type)
{
  g_assert_true (epsimo_ui_test_wait_for (has_toplevel_of, GSIZE_TO_POINTER (type), TIMEOUT));
  return epsimo_ui_test_find_toplevel (type);
}

static void
wait_toplevel_gone (GType type)
{
  g_assert_true (epsimo_ui_test_wait_for (no_toplevel_of, GSIZE_TO_POINTER (type), TIMEOUT));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Server side */

static void
seed_projects (Fixture *fixture,
               guint    count)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"count\": %u}",
                                           fixture->email, count);
  g_autoptr(JsonNode) answer = epsimo_test_server_control (fixture->server, "POST",
                                                           "seed-projects", body);
}

static JsonObject *
server_project (Fixture    *fixture,
                const char *project_id)
{
  g_autoptr(JsonObject) state = epsimo_test_server_get_state (fixture->server);
  JsonArray *projects = json_object_get_array_member (state, "projects");

  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonObject *project = json_array_get_object_element (projects, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (project, "project_id", ""),
                     project_id) == 0)
        return json_object_ref (project);
    }
  return NULL;
}

static guint
count_requests (Fixture    *fixture,
                const char *method,
                const char *path)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (fixture->server);

  return epsimo_test_count_requests (requests, method, path);
}

static void
load_seeded (Fixture *fixture,
             guint    count)
{
  /* The first load (of a new account) is over, so what follows is deterministic. */
  wait_page (fixture, "empty");
  seed_projects (fixture, count);
  epsimo_project_list_reload (fixture->list);
  wait_count (fixture, count);
}

/* Tests */

static void
test_empty_then_create (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *dialog;
  GtkWidget *save;
  GtkWidget *empty_page;
  GtkTextBuffer *buffer;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) stored = NULL;
  EpsimoProject *project;

  /* A new account: the empty state offers to create the first project. */
  wait_page (fixture, "empty");
  empty_page = list_child (fixture, "empty_page");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty_page)), ==,
                   "No Projects");
  g_assert_nonnull (epsimo_ui_test_find_widget (empty_page, GTK_TYPE_BUTTON,
                                                "_New Project…"));
  g_assert_null (epsimo_project_list_get_selected_project (fixture->list));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     GTK_STACK (overview_child (fixture, "stack"))), ==, "none");

  click (epsimo_ui_test_find_widget (empty_page, GTK_TYPE_BUTTON, "_New Project…"));
  dialog = wait_toplevel (EPSIMO_TYPE_PROJECT_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "New Project");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  save = child_of (dialog, EPSIMO_TYPE_PROJECT_DIALOG, "save_button");

  /* The name is required: blanks do not count. */
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (child_of (dialog, EPSIMO_TYPE_PROJECT_DIALOG,
                                                 "name_row")), "   ");
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (child_of (dialog, EPSIMO_TYPE_PROJECT_DIALOG,
                                                 "name_row")), "Garden Planner");
  g_assert_true (gtk_widget_get_sensitive (save));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child_of (dialog,
                                                              EPSIMO_TYPE_PROJECT_DIALOG,
                                                              "description_view")));
  gtk_text_buffer_set_text (buffer, "Seeds, beds and\nwatering", -1);

  click (save);
  wait_toplevel_gone (EPSIMO_TYPE_PROJECT_DIALOG);

  /* Listed, current, and shown in the overview. */
  wait_shown (fixture, "Garden Planner");
  wait_selected (fixture, "Garden Planner");
  wait_page (fixture, "list");
  project = epsimo_project_list_get_selected_project (fixture->list);
  wait_label (overview_child (fixture, "name_label"), "Garden Planner");
  wait_label (overview_child (fixture, "description_label"), "Seeds, beds and\nwatering");
  g_assert_true (gtk_widget_get_visible (overview_child (fixture, "created_label")));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (overview_child (
                                     fixture, "created_label"))), "Created on "));

  /* What the server got. */
  requests = epsimo_test_server_get_requests (fixture->server);
  body = epsimo_test_request_body (epsimo_test_find_request (requests, "POST", "/projects*"));
  g_assert_nonnull (body);
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Garden Planner");
  g_assert_cmpstr (json_object_get_string_member (body, "description"), ==,
                   "Seeds, beds and\nwatering");
  stored = server_project (fixture, epsimo_project_get_id (project));
  g_assert_nonnull (stored);
  g_assert_cmpstr (json_object_get_string_member (stored, "name"), ==, "Garden Planner");
}

static void
test_edit (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *dialog;
  GtkWidget *name_row;
  GtkWidget *name_error;
  GtkWidget *save;
  EpsimoErrorBanner *banner;
  EpsimoProject *project;
  g_autofree char *project_path = NULL;
  g_autoptr(JsonObject) stored = NULL;

  load_seeded (fixture, 2);
  g_assert_true (epsimo_project_list_select_project_id (
    fixture->list, epsimo_project_get_id (find_shown (fixture, "Project 0002"))));
  wait_selected (fixture, "Project 0002");
  project = epsimo_project_list_get_selected_project (fixture->list);
  project_path = g_strdup_printf ("/projects/%s", epsimo_project_get_id (project));

  click (overview_child (fixture, "edit_button"));
  dialog = wait_toplevel (EPSIMO_TYPE_PROJECT_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Project");
  name_row = child_of (dialog, EPSIMO_TYPE_PROJECT_DIALOG, "name_row");
  name_error = child_of (dialog, EPSIMO_TYPE_PROJECT_DIALOG, "name_error");
  save = child_of (dialog, EPSIMO_TYPE_PROJECT_DIALOG, "save_button");
  banner = EPSIMO_ERROR_BANNER (child_of (dialog, EPSIMO_TYPE_PROJECT_DIALOG, "banner"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Project 0002");

  /* Emptied: Save is off and the row says why. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_get_visible (name_error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (name_error)), ==, "A project needs a name.");
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));

  /* A 422 naming the field lands on that row; the dialog keeps what was typed, and the
   * rest of the window still shows the saved name. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Zeta Launch");
  g_assert_false (gtk_widget_get_visible (name_error));
  epsimo_test_server_fail (fixture->server, "PUT", "/projects/*", 422, 1,
                           "{\"error\": \"Unprocessable Entity\", "
                           "\"detail\": \"That name is already used\", \"field\": \"name\"}");
  click (save);
  wait_label (name_error, "That name is already used");
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Zeta Launch");
  g_assert_nonnull (epsimo_ui_test_find_toplevel (EPSIMO_TYPE_PROJECT_DIALOG));
  g_assert_cmpstr (epsimo_project_get_name (project), ==, "Project 0002");
  g_assert_false (epsimo_error_banner_get_revealed (banner));

  /* Any other failure: a banner with Retry, and Retry saves. */
  epsimo_test_server_fail (fixture->server, "PUT", "/projects/*", 500, 1, NULL);
  click (save);
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, banner, TIMEOUT));
  g_assert_nonnull (strstr (epsimo_error_banner_get_message (banner),
                            "Could not save the changes"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Zeta Launch");
  click (epsimo_ui_test_find_widget (GTK_WIDGET (banner), GTK_TYPE_BUTTON, "_Retry"));
  wait_toplevel_gone (EPSIMO_TYPE_PROJECT_DIALOG);

  wait_shown (fixture, "Zeta Launch");
  g_assert_null (find_shown (fixture, "Project 0002"));
  wait_selected (fixture, "Zeta Launch");
  wait_label (overview_child (fixture, "name_label"), "Zeta Launch");
  /* Sorted by name after the refresh. */
  {
    g_autofree char *names = shown_names (fixture);

    g_assert_cmpstr (names, ==, "Project 0001, Zeta Launch");
  }

  g_assert_cmpuint (count_requests (fixture, "PUT", project_path), ==, 3);
  stored = server_project (fixture, epsimo_project_get_id (project));
  g_assert_cmpstr (json_object_get_string_member (stored, "name"), ==, "Zeta Launch");
}

static GtkWidget *
response_button (GtkWidget  *dialog,
                 const char *label)
{
  GtkWidget *button = epsimo_ui_test_find_widget (dialog, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  return button;
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *dialog;
  EpsimoProject *project;
  g_autofree char *project_id = NULL;
  g_autofree char *project_path = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) gone = NULL;
  JsonObject *request;

  load_seeded (fixture, 2);
  wait_selected (fixture, "Project 0001");
  project = epsimo_project_list_get_selected_project (fixture->list);
  project_id = g_strdup (epsimo_project_get_id (project));
  project_path = g_strdup_printf ("/projects/%s", project_id);
  epsimo_test_server_clear_requests (fixture->server);

  /* The question names the project and what goes with it; Cancel sends nothing. */
  click (overview_child (fixture, "delete_button"));
  dialog = wait_toplevel (EPSIMO_TYPE_PROJECT_DELETE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Delete “Project 0001”?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "assistants, threads and files"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               "delete"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  click (response_button (dialog, "_Cancel"));
  wait_toplevel_gone (EPSIMO_TYPE_PROJECT_DELETE_DIALOG);
  epsimo_ui_test_spin (200);
  g_assert_cmpuint (count_requests (fixture, "DELETE", "/projects/*"), ==, 0);
  g_assert_nonnull (find_shown (fixture, "Project 0001"));
  g_assert_cmpuint (fixture->toasts->len, ==, 0);

  /* Confirmed: one DELETE with confirm=true, the project leaves the list. */
  click (overview_child (fixture, "delete_button"));
  dialog = wait_toplevel (EPSIMO_TYPE_PROJECT_DELETE_DIALOG);
  click (response_button (dialog, "_Delete"));
  wait_toplevel_gone (EPSIMO_TYPE_PROJECT_DELETE_DIALOG);
  {
    Check check = { fixture, "Project 0001", 0, NULL };

    g_assert_true (epsimo_ui_test_wait_for (lacks_name, &check, TIMEOUT));
  }
  wait_count (fixture, 1);
  wait_selected (fixture, "Project 0002");
  wait_label (overview_child (fixture, "name_label"), "Project 0002");

  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "DELETE", "/projects/*"), ==, 1);
  request = epsimo_test_find_request (requests, "DELETE", project_path);
  g_assert_nonnull (request);
  g_assert_cmpstr (json_object_get_string_member (request, "query"), ==, "confirm=true");
  gone = server_project (fixture, project_id);
  g_assert_null (gone);

  g_assert_cmpuint (fixture->toasts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->toasts, 0), ==, "“Project 0001” deleted");
}

static void
test_delete_error (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *dialog;
  Check check = { fixture, NULL, 0, NULL };
  g_autofree char *project_id = NULL;
  g_autoptr(JsonObject) kept = NULL;
  const char *toast;

  load_seeded (fixture, 2);
  wait_selected (fixture, "Project 0001");
  project_id = g_strdup (epsimo_project_get_id (
    epsimo_project_list_get_selected_project (fixture->list)));

  /* From the sidebar's own action this time. */
  epsimo_test_server_fail (fixture->server, "DELETE", "/projects/*", 500, 1, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->list), "projects.delete",
                                             NULL));
  dialog = wait_toplevel (EPSIMO_TYPE_PROJECT_DELETE_DIALOG);
  click (response_button (dialog, "_Delete"));
  g_assert_true (epsimo_ui_test_wait_for (has_toast, &check, TIMEOUT));

  toast = g_ptr_array_index (fixture->toasts, 0);
  g_assert_true (g_str_has_prefix (toast, "Could not delete “Project 0001”: "));
  /* …followed by why: the server's explanation. */
  g_assert_nonnull (strstr (toast, "Injected failure"));
  epsimo_ui_test_spin (300);
  wait_count (fixture, 2);
  g_assert_nonnull (find_shown (fixture, "Project 0001"));
  wait_selected (fixture, "Project 0001");
  g_assert_cmpuint (count_requests (fixture, "DELETE", "/projects/*"), ==, 1);
  kept = server_project (fixture, project_id);
  g_assert_nonnull (kept);
}

/* Whether @widget's class binds @accelerator to @action_name. */
static gboolean
has_shortcut (GtkWidget  *widget,
              const char *accelerator,
              const char *action_name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted)
              && GTK_IS_NAMED_ACTION (action)
              && g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                            action_name) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
row_0_selected (gpointer data)
{
  return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (shown_model (data))) == 0;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *entry = list_child (fixture, "search_entry");
  g_autoptr(EpsimoProject) alpha = NULL;
  g_autoptr(EpsimoProject) beta = NULL;
  g_autofree char *names = NULL;
  GtkWidget *focus;

  wait_page (fixture, "empty");
  seed_projects (fixture, 12);
  alpha = epsimo_ui_test_create_project (fixture->session, "alpha notes");
  beta = epsimo_ui_test_create_project (fixture->session, "Beta");
  epsimo_project_list_reload (fixture->list);
  wait_count (fixture, 14);

  /* By name, case-insensitively: "alpha notes" before "Beta" before "Project …". */
  names = shown_names (fixture);
  g_assert_true (g_str_has_prefix (names, "alpha notes, Beta, Project 0001, Project 0002"));
  g_assert_true (g_str_has_suffix (names, "Project 0012"));
  wait_selected (fixture, "alpha notes");

  /* Ctrl+F's action puts the cursor in the search entry; F5 and Ctrl+R refresh. */
  g_assert_true (has_shortcut (GTK_WIDGET (fixture->list), "<Control>f", "projects.search"));
  g_assert_true (has_shortcut (GTK_WIDGET (fixture->list), "F5", "projects.refresh"));
  g_assert_true (has_shortcut (GTK_WIDGET (fixture->list), "<Control>r", "projects.refresh"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->list), "projects.search",
                                             NULL));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  gtk_editable_set_text (GTK_EDITABLE (entry), "0011");
  wait_count (fixture, 1);
  g_assert_nonnull (find_shown (fixture, "Project 0011"));
  /* The current project is hidden by the search, yet stays current. */
  g_assert_cmpstr (selected_name (fixture), ==, "alpha notes");

  gtk_editable_set_text (GTK_EDITABLE (entry), "ALPHA");
  wait_count (fixture, 1);
  g_assert_nonnull (find_shown (fixture, "alpha notes"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "no such thing");
  wait_page (fixture, "no-results");
  g_assert_cmpuint (shown_count (fixture), ==, 0);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (list_child (
                     fixture, "no_results_page"))), ==,
                   "No project name contains “no such thing”.");

  /* Escape clears the search. */
  g_signal_emit_by_name (entry, "stop-search");
  wait_count (fixture, 14);
  wait_page (fixture, "list");
  g_assert_cmpstr (selected_name (fixture), ==, "alpha notes");
  g_assert_true (epsimo_ui_test_wait_for (row_0_selected, fixture, TIMEOUT));

  /* Choosing a row makes it current. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (shown_model (fixture)), 3);
  g_assert_cmpstr (selected_name (fixture), ==, "Project 0002");
  wait_label (overview_child (fixture, "name_label"), "Project 0002");
}

static void
test_select_remembered (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(EpsimoProject) remembered = epsimo_ui_test_create_project (fixture->session,
                                                                       "Remembered");

  seed_projects (fixture, 3);
  /* The window restores the last project before the list has loaded. */
  epsimo_project_list_set_session (fixture->list, NULL);
  g_assert_null (epsimo_project_list_get_selected_project (fixture->list));
  epsimo_project_list_set_session (fixture->list, fixture->session);
  g_assert_true (epsimo_project_list_select_project_id (fixture->list,
                                                        epsimo_project_get_id (remembered)));
  wait_count (fixture, 4);
  wait_selected (fixture, "Remembered");
  g_assert_false (epsimo_project_list_select_project_id (fixture->list, "no-such-project"));
  g_assert_cmpstr (selected_name (fixture), ==, "Remembered");
}

static void
test_refresh_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  EpsimoErrorBanner *banner = EPSIMO_ERROR_BANNER (list_child (fixture, "banner"));
  EpsimoProject *current;

  load_seeded (fixture, 3);
  wait_selected (fixture, "Project 0001");
  current = epsimo_project_list_get_selected_project (fixture->list);
  g_assert_false (epsimo_error_banner_get_revealed (banner));

  /* F5's action fails: the list stays as it was and the banner says why. */
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 500, 1, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->list), "projects.refresh",
                                             NULL));
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, banner, TIMEOUT));
  g_assert_true (g_str_has_prefix (epsimo_error_banner_get_message (banner),
                                   "Could not load the projects: "));
  g_assert_cmpstr (list_page (fixture), ==, "list");
  g_assert_cmpuint (shown_count (fixture), ==, 3);
  g_assert_true (epsimo_project_list_get_selected_project (fixture->list) == current);

  /* Retry loads what the server has now, and the banner goes. */
  seed_projects (fixture, 1);
  click (epsimo_ui_test_find_widget (GTK_WIDGET (banner), GTK_TYPE_BUTTON, "_Retry"));
  wait_count (fixture, 4);
  g_assert_true (epsimo_ui_test_wait_for (banner_hidden, banner, TIMEOUT));
  /* The current project is still the same object. */
  g_assert_true (epsimo_project_list_get_selected_project (fixture->list) == current);

  /* A first load that fails has nothing to keep: it says so, and Retry loads. */
  epsimo_project_list_set_session (fixture->list, NULL);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 500, 1, NULL);
  epsimo_project_list_set_session (fixture->list, fixture->session);
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, banner, TIMEOUT));
  wait_page (fixture, "error");
  g_assert_null (epsimo_project_list_get_selected_project (fixture->list));
  click (epsimo_ui_test_find_widget (GTK_WIDGET (banner), GTK_TYPE_BUTTON, "_Retry"));
  wait_count (fixture, 4);
  wait_page (fixture, "list");
  g_assert_true (epsimo_ui_test_wait_for (banner_hidden, banner, TIMEOUT));
  wait_selected (fixture, "Project 0001");
}

static gboolean
count_ticks (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
ticks_reached (gpointer data)
{
  guint *ticks = data;

  return ticks[0] >= ticks[1];
}

/* Lets the list lay out and draw a couple of frames. */
static void
wait_frames (GtkWidget *widget,
             guint      frames)
{
  guint ticks[2] = { 0, frames };
  guint id = gtk_widget_add_tick_callback (widget, count_ticks, &ticks[0], NULL);

  epsimo_ui_test_wait_for (ticks_reached, ticks, TIMEOUT);
  gtk_widget_remove_tick_callback (widget, id);
}

static void
test_thousand_projects (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *list_view = list_child (fixture, "list_view");
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint most_rows = 0;
  guint at_bottom = 0;

  load_seeded (fixture, 1000);
  wait_page (fixture, "list");
  wait_frames (list_view, 2);

  /* Page by page, as a user scrolls, until the end: every project shows up once on the
   * way, and only about a screenful of rows exists at any time. */
  for (guint step = 0; step < 5000 && at_bottom < 3; step++)
    {
      g_autoptr(GPtrArray) texts = epsimo_ui_test_collect_texts (list_view);
      double value = gtk_adjustment_get_value (adjustment);
      double bottom = gtk_adjustment_get_upper (adjustment)
                      - gtk_adjustment_get_page_size (adjustment);

      for (guint i = 0; i < texts->len; i++)
        if (g_str_has_prefix (g_ptr_array_index (texts, i), "Project "))
          g_hash_table_add (seen, g_strdup (g_ptr_array_index (texts, i)));
      most_rows = MAX (most_rows, epsimo_ui_test_count_children (list_view));

      /* The list's upper bound is an estimate: the end is where it stops moving. */
      if (value >= bottom)
        at_bottom++;
      else
        at_bottom = 0;
      gtk_adjustment_set_value (adjustment,
                                MIN (value + gtk_adjustment_get_page_size (adjustment) * 0.8,
                                     bottom));
      wait_frames (list_view, 2);
    }

  g_assert_true (g_hash_table_contains (seen, "Project 1000"));
  g_assert_true (g_hash_table_contains (seen, "Project 0001"));
  g_assert_true (g_hash_table_contains (seen, "Project 0500"));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1000);
  g_assert_cmpuint (most_rows, >, 5);
  /* GtkListView 4.8 keeps at most about 200 row widgets (its MAX_LIST_ITEMS), whatever
   * the length of the list. */
  g_assert_cmpuint (most_rows, <, 300);
}

static void
upload_file (Fixture    *fixture,
             const char *project_id,
             const char *assistant_id)
{
  EpsimoFilesService *service = epsimo_session_get_files (fixture->session);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "epsimo-projects-notes.txt",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpsimoFile) uploaded = NULL;
  GAsyncResult *slot = NULL;

  g_assert_true (g_file_set_contents (path, "Some notes.\n", -1, NULL));
  epsimo_files_service_upload_async (service, project_id, assistant_id, file, NULL,
                                     NULL, NULL, NULL, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  uploaded = epsimo_files_service_upload_finish (service, result, &error);
  g_assert_no_error (error);
  g_unlink (path);
}

static void
test_overview (Fixture       *fixture,
               gconstpointer  data)
{
  gboolean live = g_str_equal (data, "live");
  g_autoptr(EpsimoProject) created = epsimo_ui_test_create_project (fixture->session,
                                                                    "Counting House");
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) seeded = NULL;
  const char *assistant_id;
  GtkWidget *assistants_button = overview_child (fixture, "assistants_button");
  GtkWidget *threads_button = overview_child (fixture, "threads_button");
  GtkWidget *files_button = overview_child (fixture, "files_button");

  epsimo_project_list_reload (fixture->list);
  wait_selected (fixture, "Counting House");
  wait_label (overview_child (fixture, "name_label"), "Counting House");
  wait_label (overview_child (fixture, "description_label"), "No description");

  /* Empty: each row offers what fills it. */
  wait_subtitle (fixture, "assistants_row", "No assistants yet");
  wait_subtitle (fixture, "threads_row", "No threads yet");
  wait_subtitle (fixture, "files_row", live ? "No files attached to the project’s assistants yet"
                                            : "No files yet");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (assistants_button)), ==,
                   "Create _Assistant");
  click (assistants_button);
  g_assert_cmpuint (fixture->sections->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->sections, 0), ==, "assistants");

  /* Something in each: counts, and buttons that open the sections. */
  body = g_strdup_printf ("{\"project_id\": \"%s\", \"count\": 2}",
                          epsimo_project_get_id (created));
  seeded = epsimo_test_server_control (fixture->server, "POST", "seed-threads", body);
  assistant_id = json_object_get_string_member (json_node_get_object (seeded), "assistant_id");
  upload_file (fixture, epsimo_project_get_id (created), live ? assistant_id : NULL);
  epsimo_project_overview_reload (fixture->overview);

  wait_subtitle (fixture, "assistants_row", "1 assistant");
  wait_subtitle (fixture, "threads_row", "2 threads");
  wait_subtitle (fixture, "files_row", live ? "1 file attached to the project’s assistants"
                                            : "1 file");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (assistants_button)), ==,
                   "Open _Assistants");
  click (threads_button);
  click (files_button);
  click (assistants_button);
  g_assert_cmpuint (fixture->sections->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (fixture->sections, 1), ==, "chat");
  g_assert_cmpstr (g_ptr_array_index (fixture->sections, 2), ==, "files");
  g_assert_cmpstr (g_ptr_array_index (fixture->sections, 3), ==, "assistants");

  /* A count that fails says so, and Retry counts again. */
  {
    EpsimoErrorBanner *banner = EPSIMO_ERROR_BANNER (overview_child (fixture, "banner"));

    epsimo_test_server_fail (fixture->server, "GET", "/threads/", 500, 1, NULL);
    epsimo_project_overview_reload (fixture->overview);
    g_assert_true (epsimo_ui_test_wait_for (banner_revealed, banner, TIMEOUT));
    wait_subtitle (fixture, "threads_row", "Could not be counted");
    click (epsimo_ui_test_find_widget (GTK_WIDGET (banner), GTK_TYPE_BUTTON, "_Retry"));
    wait_subtitle (fixture, "threads_row", "2 threads");
    g_assert_true (epsimo_ui_test_wait_for (banner_hidden, banner, TIMEOUT));
  }
}

static void
add_test (const char *name,
          const char *dialect,
          void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/projects/%s/%s", dialect, name);

  g_test_add (path, Fixture, dialect, fixture_setup, func, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  const char *dialects[] = { "reference", "live" };
  int status;

  epsimo_ui_test_init (&argc, &argv);
  if (g_getenv ("EPSIMO_TEST_SERVER") == NULL)
    {
      g_print ("1..0 # SKIP EPSIMO_TEST_SERVER is not set\n");
      return 77;
    }

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      add_test ("empty-then-create", dialects[i], test_empty_then_create);
      add_test ("edit", dialects[i], test_edit);
      add_test ("delete", dialects[i], test_delete);
      add_test ("delete-error", dialects[i], test_delete_error);
      add_test ("refresh-failure", dialects[i], test_refresh_failure);
      add_test ("overview", dialects[i], test_overview);
    }
  /* The same on both dialects (the list only uses /projects/): once is enough. */
  add_test ("search", "reference", test_search);
  add_test ("select-remembered", "reference", test_select_remembered);
  add_test ("thousand-projects", "reference", test_thousand_projects);

  reference_server = epsimo_test_server_start ("reference", NULL);
  live_server = epsimo_test_server_start ("live", NULL);

  status = g_test_run ();

  epsimo_test_server_stop (live_server);
  epsimo_test_server_stop (reference_server);
  return status;
}
