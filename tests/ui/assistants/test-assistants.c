/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistants page and its editor in a real window, against epsimo-test-server in both
 * dialects; and the shared JSON editor's validation. */
#include "config.h"

#include <string.h>

#include "../epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "../epsimo-ui-test-session.h"
#include "epsimo-session.h"
#include "api/epsimo-json.h"
#include "assistants/epsimo-assistant-editor.h"
#include "assistants/epsimo-assistant-row.h"
#include "assistants/epsimo-assistants-page.h"
#include "assistants/epsimo-catalogue-entry.h"
#include "assistants/epsimo-parameter-row.h"
#include "assistants/epsimo-schema-builder.h"
#include "assistants/epsimo-schema.h"
#include "assistants/epsimo-tool-row.h"
#include "widgets/epsimo-error-banner.h"
#include "widgets/epsimo-json-editor.h"

#define PASSWORD EPSIMO_UI_TEST_PASSWORD
#define TIMEOUT 15000

static GtkWidget *wait_dialog (void);
static void       respond     (const char *response);

/* The JSON editor (no server) */

static void
count_changed (EpsimoJsonEditor *editor,
               guint            *count)
{
  (*count)++;
}

static GtkWidget *
editor_child (EpsimoJsonEditor *editor,
              const char       *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                    EPSIMO_TYPE_JSON_EDITOR, name));
}

static void
assert_error_at (EpsimoJsonEditor *editor,
                 const char       *text,
                 const char       *prefix)
{
  epsimo_json_editor_set_text (editor, text);
  g_assert_false (epsimo_json_editor_get_valid (editor));
  g_assert_nonnull (epsimo_json_editor_get_error (editor));
  if (!g_str_has_prefix (epsimo_json_editor_get_error (editor), prefix))
    g_error ("For %s: expected an error starting with “%s”, got “%s”", text, prefix,
             epsimo_json_editor_get_error (editor));
  g_assert_null (epsimo_json_editor_dup_node (editor));
  g_assert_true (gtk_widget_has_css_class (editor_child (editor, "frame"), "error"));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "error_label")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_child (editor, "error_label"))), ==,
                   epsimo_json_editor_get_error (editor));
}

static void
test_json_editor_validation (void)
{
  GtkWidget *window = gtk_window_new ();
  EpsimoJsonEditor *editor = EPSIMO_JSON_EDITOR (epsimo_json_editor_new ());
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  guint changed = 0;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (editor, "changed", G_CALLBACK (count_changed), &changed);

  /* Empty is not JSON. */
  g_assert_false (epsimo_json_editor_get_valid (editor));

  epsimo_json_editor_set_text (editor, "{\"a\": [1, 2.5, true, null, \"x\"]}");
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (epsimo_json_editor_get_valid (editor));
  g_assert_null (epsimo_json_editor_get_error (editor));
  g_assert_false (gtk_widget_has_css_class (editor_child (editor, "frame"), "error"));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "error_label")));
  node = epsimo_json_editor_dup_node (editor);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  /* The same text again is no change. */
  epsimo_json_editor_set_text (editor, "{\"a\": [1, 2.5, true, null, \"x\"]}");
  g_assert_cmpuint (changed, ==, 1);

  /* Pretty printing, with the numbers as written. */
  epsimo_json_editor_format (editor);
  text = epsimo_json_editor_dup_text (editor);
  g_assert_cmpstr (text, ==,
                   "{\n  \"a\": [\n    1,\n    2.5,\n    true,\n    null,\n    \"x\"\n  ]\n}\n");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"score\": 0.1, \"name\": \"é\\n\"}", NULL);
  epsimo_json_editor_set_node (editor, node);
  text = epsimo_json_editor_dup_text (editor);
  g_assert_cmpstr (text, ==, "{\n  \"score\": 0.1,\n  \"name\": \"é\\n\"\n}\n");

  /* Errors say where, line and column from 1. */
  assert_error_at (editor, "{\n  \"a\": 1,\n  \"b\": tru\n}", "Line 3, column 8: ");
  assert_error_at (editor, "{\n  \"a\": 1,\n}", "Line 3, column 1: ");
  assert_error_at (editor, "{\"a\" 1}", "Line 1, column 6: ");
  assert_error_at (editor, "{\"a\": 1 \"b\": 2}", "Line 1, column 9: ");
  assert_error_at (editor, "[1, 2", "Line 1, column 6: ");
  assert_error_at (editor, "{'a': 1}", "Line 1, column 2: ");
  assert_error_at (editor, "{\"a\": 01}", "Line 1, column 7: ");
  assert_error_at (editor, "{\"a\": 1, \"a\": 2}", "Line 1, column 10: ");
  assert_error_at (editor, "{\"a\": \"x\\q\"}", "Line 1, column 9: ");
  assert_error_at (editor, "{}\n  x", "Line 2, column 3: ");
  assert_error_at (editor, "   ", "Enter a JSON value.");

  /* A validator runs on what parses. */
  epsimo_json_editor_set_validator (editor, epsimo_schema_validate, NULL, NULL);
  assert_error_at (editor, "[1]", "The parameters must be a JSON object");
  assert_error_at (editor, "{\"type\": \"string\"}", "The schema’s “type”");
  assert_error_at (editor, "{\"type\": \"object\"}", "The schema needs a “properties” object");
  assert_error_at (editor,
                   "{\"type\": \"object\", \"properties\": {\"a\": {}}, \"required\": [\"b\"]}",
                   "“b” is required but is not one of the properties.");
  epsimo_json_editor_set_text (editor,
                               "{\"type\": \"object\", \"properties\": {\"a\": {}}, "
                               "\"required\": [\"a\"]}");
  g_assert_true (epsimo_json_editor_get_valid (editor));

  epsimo_json_editor_set_accessible_label (editor, "Schema");
  g_assert_true (epsimo_schema_is_identifier ("lookup_order2"));
  g_assert_true (epsimo_schema_is_identifier ("_x"));
  g_assert_false (epsimo_schema_is_identifier ("2x"));
  g_assert_false (epsimo_schema_is_identifier ("look-up"));
  g_assert_false (epsimo_schema_is_identifier (""));

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
tool_row_child (GtkWidget  *row,
                const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (row, EPSIMO_TYPE_TOOL_ROW, name));
}

static GtkWidget *
parameter_child (GtkWidget  *row,
                 const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (row, EPSIMO_TYPE_PARAMETER_ROW, name));
}

/* The parameter builder and the JSON editor of a function stay in step. */
static void
test_function_builder_sync (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  g_autoptr(EpsimoTool) tool = epsimo_tool_new ("function");
  GtkWidget *row = epsimo_tool_row_new (tool);
  EpsimoJsonEditor *schema = EPSIMO_JSON_EDITOR (tool_row_child (row, "schema_editor"));
  EpsimoSchemaBuilder *builder = EPSIMO_SCHEMA_BUILDER (tool_row_child (row, "builder"));
  GtkWidget *param;
  g_autofree char *text = NULL;
  JsonObject *parameters;

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  /* A function needs a valid name. */
  g_assert_nonnull (epsimo_tool_row_get_problem (EPSIMO_TOOL_ROW (row)));
  g_assert_true (strstr (epsimo_tool_row_get_problem (EPSIMO_TOOL_ROW (row)),
                         "Enter a name for the function.") != NULL);
  gtk_editable_set_text (GTK_EDITABLE (tool_row_child (row, "fn_name_row")), "2bad");
  g_assert_true (strstr (epsimo_tool_row_get_problem (EPSIMO_TOOL_ROW (row)),
                         "letters, digits and underscores") != NULL);
  g_assert_true (gtk_widget_has_css_class (tool_row_child (row, "fn_name_row"), "error"));
  gtk_editable_set_text (GTK_EDITABLE (tool_row_child (row, "fn_name_row")), "get_weather");
  g_assert_null (epsimo_tool_row_get_problem (EPSIMO_TOOL_ROW (row)));
  g_assert_cmpstr (epsimo_tool_get_name (tool), ==, "get_weather");
  epsimo_tool_row_set_name_taken (EPSIMO_TOOL_ROW (row), TRUE);
  g_assert_true (strstr (epsimo_tool_row_get_problem (EPSIMO_TOOL_ROW (row)),
                         "Another function") != NULL);
  epsimo_tool_row_set_name_taken (EPSIMO_TOOL_ROW (row), FALSE);

  /* Builder → schema */
  epsimo_schema_builder_add (builder);
  g_assert_cmpuint (epsimo_schema_builder_get_n_rows (builder), ==, 1);
  param = epsimo_schema_builder_get_row (builder, 0);
  gtk_editable_set_text (GTK_EDITABLE (parameter_child (param, "name_entry")), "city");
  gtk_editable_set_text (GTK_EDITABLE (parameter_child (param, "description_entry")),
                         "The city");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (parameter_child (param, "required_check")),
                               TRUE);
  text = epsimo_json_editor_dup_text (schema);
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"type\": \"object\",\n"
                   "  \"properties\": {\n"
                   "    \"city\": {\n"
                   "      \"type\": \"string\",\n"
                   "      \"description\": \"The city\"\n"
                   "    }\n"
                   "  },\n"
                   "  \"required\": [\n"
                   "    \"city\"\n"
                   "  ]\n"
                   "}\n");
  parameters = epsimo_tool_get_parameters (tool);
  g_assert_true (json_object_has_member (json_object_get_object_member (parameters,
                                                                        "properties"),
                                         "city"));

  /* An unnamed parameter keeps the schema as it was and says why. */
  gtk_editable_set_text (GTK_EDITABLE (parameter_child (param, "name_entry")), "");
  g_assert_true (strstr (epsimo_tool_row_get_problem (EPSIMO_TOOL_ROW (row)),
                         "Parameter 1 needs a name.") != NULL);
  gtk_editable_set_text (GTK_EDITABLE (parameter_child (param, "name_entry")), "city");
  g_assert_null (epsimo_tool_row_get_problem (EPSIMO_TOOL_ROW (row)));

  /* Schema → builder */
  epsimo_json_editor_set_text (schema,
                               "{\"type\": \"object\", \"properties\": {"
                               "\"city\": {\"type\": \"string\"}, "
                               "\"days\": {\"type\": \"integer\", \"minimum\": 1}}, "
                               "\"required\": [\"city\", \"days\"]}");
  g_assert_cmpuint (epsimo_schema_builder_get_n_rows (builder), ==, 2);
  param = epsimo_schema_builder_get_row (builder, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (parameter_child (param, "name_entry"))),
                   ==, "days");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (parameter_child (param,
                                                                                "type_dropdown"))),
                    ==, 2);
  g_assert_true (gtk_check_button_get_active (
    GTK_CHECK_BUTTON (parameter_child (param, "required_check"))));

  /* Editing a row keeps what the builder does not show ("minimum"). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (parameter_child (param, "type_dropdown")), 1);
  parameters = epsimo_tool_get_parameters (tool);
  {
    JsonObject *days = json_object_get_object_member (
      json_object_get_object_member (parameters, "properties"), "days");

    g_assert_cmpstr (json_object_get_string_member (days, "type"), ==, "number");
    g_assert_cmpint (json_object_get_int_member (days, "minimum"), ==, 1);
  }

  /* Invalid text: the builder waits, the row says where. */
  epsimo_json_editor_set_text (schema, "{\n  \"type\": \"object\",\n  \"properties\": {,}\n}");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (builder)));
  g_assert_true (strstr (epsimo_tool_row_get_problem (EPSIMO_TOOL_ROW (row)),
                         "Function “get_weather”, parameters: Line 3, column 18: ") != NULL);
  g_assert_true (gtk_widget_get_visible (tool_row_child (row, "problem_icon")));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Against the server */

typedef struct
{
  const char           *dialect;
  EpsimoTestServer     *server;
  EpsimoSession        *session;
  EpsimoProject        *project;
  GtkWidget            *window;
  AdwViewStack         *view_stack;
  EpsimoAssistantsPage *page;
  GPtrArray            *toasts;
} Fixture;

static char *
unique_email (void)
{
  static guint counter;

  return g_strdup_printf ("assistants.%u.%u@example.test", (guint) getpid (), ++counter);
}

static void
on_toast (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->toasts, g_variant_dup_string (parameter, NULL));
}

static EpsimoProject *
create_project (Fixture    *f,
                const char *name)
{
  g_autoptr(EpsimoProject) project = epsimo_project_new (name, "");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoProject *created;

  epsimo_projects_service_create_async (epsimo_session_get_projects (f->session), project, NULL,
                                        epsimo_test_async_cb, &result);
  result = epsimo_test_await (&result);
  created = epsimo_projects_service_create_finish (epsimo_session_get_projects (f->session),
                                                   result, &error);
  g_assert_no_error (error);
  return created;
}

static GtkWidget *
page_child (Fixture    *f,
            const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                    EPSIMO_TYPE_ASSISTANTS_PAGE, name));
}

static EpsimoAssistantEditor *
editor (Fixture *f)
{
  return EPSIMO_ASSISTANT_EDITOR (page_child (f, "editor"));
}

static GtkWidget *
editor_widget (Fixture    *f,
               const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor (f)),
                                                    EPSIMO_TYPE_ASSISTANT_EDITOR, name));
}

static const char *
list_state (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (page_child (f, "list_stack")));
}

static gboolean
list_loaded (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (list_state (f), "list") == 0 || g_strcmp0 (list_state (f), "empty") == 0;
}

static gboolean
editor_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (page_child (f, "stack"))),
                    "editor") == 0;
}

static gboolean
list_shown (gpointer data)
{
  Fixture *f = data;

  return !editor_shown (f);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) toast_action = g_simple_action_new ("toast", G_VARIANT_TYPE_STRING);
  g_autofree char *email = unique_email ();

  f->dialect = data;
  f->toasts = g_ptr_array_new_with_free_func (g_free);
  f->server = epsimo_test_server_start (f->dialect, NULL);

  f->session = epsimo_ui_test_sign_up (f->server, email);

  f->project = create_project (f, "Assistants Project");

  /* The page in a window beside another page, as the window's view stack has it. */
  f->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  g_signal_connect (toast_action, "activate", G_CALLBACK (on_toast), f);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (toast_action));
  gtk_widget_insert_action_group (f->window, "win", G_ACTION_GROUP (group));

  f->view_stack = ADW_VIEW_STACK (adw_view_stack_new ());
  f->page = EPSIMO_ASSISTANTS_PAGE (epsimo_assistants_page_new ());
  adw_view_stack_add_named (f->view_stack, GTK_WIDGET (f->page), "assistants");
  adw_view_stack_add_named (f->view_stack, gtk_label_new ("Another section"), "other");
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->view_stack));
  gtk_window_present (GTK_WINDOW (f->window));

  g_object_set (f->page, "session", f->session, "project", f->project, NULL);
  g_assert_true (epsimo_ui_test_wait_for (list_loaded, f, TIMEOUT));
  g_assert_cmpstr (list_state (f), ==, "empty");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *dialog;

  while ((dialog = epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (f->window));
  epsimo_ui_test_spin (20);
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  epsimo_test_server_stop (f->server);
  g_ptr_array_unref (f->toasts);
}

static gboolean
has_toast (Fixture    *f,
           const char *text)
{
  for (guint i = 0; i < f->toasts->len; i++)
    if (g_str_equal (g_ptr_array_index (f->toasts, i), text))
      return TRUE;
  return FALSE;
}

static void
activate (Fixture    *f,
          const char *action,
          const char *id)
{
  gboolean done;

  if (id != NULL)
    done = gtk_widget_activate_action (GTK_WIDGET (f->page), action, "s", id);
  else
    done = gtk_widget_activate_action (GTK_WIDGET (f->page), action, NULL);
  g_assert_true (done);
}

static gboolean
action_enabled (Fixture    *f,
                const char *name)
{
  /* What a user sees: the Save button follows its action. */
  if (g_str_equal (name, "assistants.save"))
    return gtk_widget_get_sensitive (editor_widget (f, "save_button"));
  g_assert_not_reached ();
}

/* Actions that leave the editor first answer on the next main loop iteration. */
static void
activate_and_wait (Fixture     *f,
                   const char  *action,
                   const char  *id,
                   gboolean   (*condition) (gpointer))
{
  activate (f, action, id);
  g_assert_true (epsimo_ui_test_wait_for (condition, f, TIMEOUT));
}

static void
set_text (GtkWidget  *editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static void
set_instructions (Fixture    *f,
                  const char *text)
{
  GtkTextView *view = GTK_TEXT_VIEW (editor_widget (f, "instructions_view"));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static GtkWidget *
tool_row (Fixture *f,
          guint    position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (editor_widget (f,
                                                                                   "tools_list")),
                                                      (int) position);

  g_assert_nonnull (row);
  g_assert_true (EPSIMO_IS_TOOL_ROW (row));
  return GTK_WIDGET (row);
}

static gboolean
not_saving (gpointer data)
{
  Fixture *f = data;

  return !epsimo_assistant_editor_get_saving (editor (f));
}

static void
save_and_wait (Fixture *f)
{
  g_assert_true (action_enabled (f, "assistants.save"));
  activate (f, "assistants.save", NULL);
  g_assert_true (epsimo_assistant_editor_get_saving (editor (f)));
  g_assert_true (epsimo_ui_test_wait_for (not_saving, f, TIMEOUT));
}

static EpsimoAssistant *
fetch (Fixture    *f,
       const char *id)
{
  EpsimoAssistantsService *service = epsimo_session_get_assistants (f->session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoAssistant *assistant;

  epsimo_assistants_service_get_async (service, epsimo_project_get_id (f->project), id, NULL,
                                       epsimo_test_async_cb, &result);
  result = epsimo_test_await (&result);
  assistant = epsimo_assistants_service_get_finish (service, result, &error);
  g_assert_no_error (error);
  return assistant;
}

static GListModel *
catalogue (Fixture *f)
{
  GtkListView *view = GTK_LIST_VIEW (editor_widget (f, "catalogue_view"));

  return G_LIST_MODEL (gtk_list_view_get_model (view));
}

static EpsimoCatalogueEntry *
find_entry (Fixture    *f,
            const char *key,
            guint      *position)
{
  GListModel *model = catalogue (f);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EpsimoCatalogueEntry) entry = g_list_model_get_item (model, i);

      if (g_str_equal (epsimo_catalogue_entry_get_key (entry), key))
        {
          if (position != NULL)
            *position = i;
          return entry;
        }
    }
  return NULL;
}

static gboolean
catalogue_from_server (gpointer data)
{
  Fixture *f = data;
  EpsimoCatalogueEntry *entry = find_entry (f, "dall_e", NULL);

  return entry != NULL && epsimo_catalogue_entry_get_health (entry) == EPSIMO_TOOL_HEALTH_UNHEALTHY
         && find_entry (f, "ddg_search", NULL) != NULL
         && epsimo_catalogue_entry_get_health (find_entry (f, "ddg_search", NULL)) ==
            EPSIMO_TOOL_HEALTH_HEALTHY;
}

static GtkWidget *
find_label_with_tooltip (GtkWidget  *root,
                         const char *tooltip)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_live (Fixture *f)
{
  return g_str_equal (f->dialect, "live");
}

static JsonObject *
last_body (Fixture    *f,
           const char *method,
           const char *path)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (f->server);
  JsonObject *request = epsimo_test_find_request (requests, method, path);

  g_assert_nonnull (request);
  return epsimo_test_request_body (request);
}

static guint
count_requests (Fixture    *f,
                const char *method,
                const char *path)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (f->server);

  return epsimo_test_count_requests (requests, method, path);
}

static void
check_tool_shape (Fixture    *f,
                  JsonObject *tool,
                  const char *type)
{
  g_assert_cmpstr (json_object_get_string_member (tool, "type"), ==, type);
  if (is_live (f))
    {
      /* {id, name, type, description, config} with every setting in config */
      g_assert_true (g_str_has_prefix (json_object_get_string_member (tool, "id"), type));
      g_assert_true (json_object_has_member (tool, "name"));
      g_assert_true (json_object_has_member (tool, "description"));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (tool, "config")));
      g_assert_false (json_object_has_member (tool, "max_results"));
      g_assert_false (json_object_has_member (tool, "parameters"));
    }
  else
    g_assert_false (json_object_has_member (tool, "config"));
}

/* Where a tool's settings are in what was sent. */
static JsonObject *
sent_settings (Fixture    *f,
               JsonObject *tool)
{
  return is_live (f) ? json_object_get_object_member (tool, "config") : tool;
}

static const char * const every_tool[] = {
  "search_tavily", "search_tavily_answer", "ddg_search", "arxiv", "pubmed", "wikipedia",
  "retrieval", "dall_e", "function", "preset:update_database", "preset:manage_task",
};

static void
test_create_every_tool (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(EpsimoAssistant) fetched = NULL;
  g_autoptr(JsonObject) body = NULL;
  EpsimoSchemaBuilder *builder;
  EpsimoJsonEditor *schema;
  GtkWidget *row;
  GtkWidget *param;
  GListModel *tools;
  JsonObject *config;
  JsonArray *sent_tools;
  const char *id;
  guint position;

  activate_and_wait (f, "assistants.new", NULL, editor_shown);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_widget (f, "title_label"))), ==,
                   "New Assistant");
  /* Nothing typed yet: Save waits for a name, and says so. */
  g_assert_false (action_enabled (f, "assistants.save"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_widget (f, "save_hint"))), ==,
                   "Cannot save: Enter a name for the assistant.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_widget (f, "model_row"))), ==,
                   "gpt-4o");

  set_text (editor_widget (f, "name_row"), "Research Helper");
  g_assert_true (gtk_widget_get_visible (editor_widget (f, "unsaved_label")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor (f)), "editor.set-model", "s",
                                             "gpt-4o-mini"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_widget (f, "model_row"))), ==,
                   "gpt-4o-mini");
  gtk_switch_set_active (GTK_SWITCH (editor_widget (f, "public_switch")), TRUE);
  set_instructions (f, "# Role\nYou help with *research*.");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_widget (f, "char_count_label"))), ==,
                   "32 characters");

  /* The catalogue: the server's with health dots (live), else the built-in one. */
  if (is_live (f))
    {
      GtkWidget *dot;

      g_assert_true (epsimo_ui_test_wait_for (catalogue_from_server, f, TIMEOUT));
      /* The popover needs the editor mapped, after the page's slide transition. */
      epsimo_ui_test_spin (500);
      gtk_menu_button_popup (GTK_MENU_BUTTON (editor_widget (f, "add_tool_button")));
      epsimo_ui_test_spin (200);
      dot = find_label_with_tooltip (editor_widget (f, "catalogue_view"),
                                     "Not working: Image generation is down");
      g_assert_nonnull (dot);
      g_assert_true (gtk_widget_has_css_class (dot, "error"));
      g_assert_nonnull (find_label_with_tooltip (editor_widget (f, "catalogue_view"),
                                                 "DuckDuckGo Search is working"));
      gtk_menu_button_popdown (GTK_MENU_BUTTON (editor_widget (f, "add_tool_button")));
    }
  else
    {
      g_assert_cmpuint (g_list_model_get_n_items (catalogue (f)), ==, 11);
      g_assert_cmpint (epsimo_catalogue_entry_get_health (find_entry (f, "dall_e", NULL)), ==,
                       EPSIMO_TOOL_HEALTH_UNKNOWN);
    }

  /* One of each, the first the way a click in the menu does it. */
  g_assert_nonnull (find_entry (f, every_tool[0], &position));
  g_signal_emit_by_name (editor_widget (f, "catalogue_view"), "activate", position);
  for (guint i = 1; i < G_N_ELEMENTS (every_tool); i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor (f)), "editor.add-tool", "s",
                                               every_tool[i]));
  tools = epsimo_assistant_get_tools (epsimo_assistant_editor_get_draft (editor (f)));
  g_assert_cmpuint (g_list_model_get_n_items (tools), ==, G_N_ELEMENTS (every_tool));

  /* Settings */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tool_row_child (tool_row (f, 0),
                                                              "max_results_spin")), 7);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tool_row_child (tool_row (f, 2),
                                                              "max_results_spin")), 50);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
    GTK_SPIN_BUTTON (tool_row_child (tool_row (f, 2), "max_results_spin"))), ==, 20);
  g_assert_false (gtk_widget_get_visible (tool_row_child (tool_row (f, 3), "max_results_row")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tool_row_child (tool_row (f, 6), "top_k_spin")),
                             6);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tool_row_child (tool_row (f, 6), "score_spin")),
                             0.75);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tool_row_child (tool_row (f, 6), "score_spin")),
                             3);
  g_assert_cmpfloat (gtk_spin_button_get_value (
    GTK_SPIN_BUTTON (tool_row_child (tool_row (f, 6), "score_spin"))), ==, 1.0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tool_row_child (tool_row (f, 6), "score_spin")),
                             0.75);

  /* The new function is unnamed: Save says where. */
  g_assert_false (action_enabled (f, "assistants.save"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_widget (f, "save_hint"))), ==,
                   "Cannot save: Unnamed Function: Enter a name for the function.");
  row = tool_row (f, 8);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  set_text (tool_row_child (row, "fn_name_row"), "update_database");
  /* The preset took that name already. */
  g_assert_true (strstr (gtk_label_get_text (GTK_LABEL (editor_widget (f, "save_hint"))),
                         "Another function of this assistant has this name.") != NULL);
  set_text (tool_row_child (row, "fn_name_row"), "lookup_order");
  set_text (tool_row_child (row, "fn_description_row"), "Look up an order by its number.");
  builder = EPSIMO_SCHEMA_BUILDER (tool_row_child (row, "builder"));
  schema = EPSIMO_JSON_EDITOR (tool_row_child (row, "schema_editor"));
  epsimo_schema_builder_add (builder);
  param = epsimo_schema_builder_get_row (builder, 0);
  set_text (parameter_child (param, "name_entry"), "order_id");
  set_text (parameter_child (param, "description_entry"), "The order number");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (parameter_child (param, "required_check")),
                               TRUE);
  {
    g_autofree char *text = epsimo_json_editor_dup_text (schema);

    g_assert_true (strstr (text, "\"order_id\": {") != NULL);
    g_assert_true (strstr (text, "\"required\": [\n    \"order_id\"\n  ]") != NULL);
  }
  /* Typed in the schema, shown in the builder. */
  epsimo_json_editor_set_text (schema,
                               "{\n"
                               "  \"type\": \"object\",\n"
                               "  \"properties\": {\n"
                               "    \"order_id\": {\"type\": \"string\", "
                               "\"description\": \"The order number\"},\n"
                               "    \"include_items\": {\"type\": \"boolean\"}\n"
                               "  },\n"
                               "  \"required\": [\"order_id\"]\n"
                               "}");
  g_assert_cmpuint (epsimo_schema_builder_get_n_rows (builder), ==, 2);

  g_assert_true (gtk_widget_get_visible (editor_widget (f, "unsaved_label")));
  g_assert_false (gtk_widget_get_visible (editor_widget (f, "save_hint")));
  epsimo_test_server_clear_requests (f->server);
  save_and_wait (f);

  /* Saved: nothing unsaved, and the list has it. */
  g_assert_nonnull (epsimo_assistant_editor_get_original (editor (f)));
  g_assert_false (epsimo_assistant_editor_get_dirty (editor (f)));
  g_assert_false (gtk_widget_get_visible (editor_widget (f, "unsaved_label")));
  g_assert_true (has_toast (f, "Saved “Research Helper”"));
  id = epsimo_assistant_get_id (epsimo_assistant_editor_get_original (editor (f)));
  g_assert_nonnull (id);

  /* What the server received: the dialect's shape. */
  body = last_body (f, "POST", "/assistants*");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Research Helper");
  g_assert_true (json_object_get_boolean_member (body, "public"));
  config = json_object_get_object_member (body, "config");
  if (is_live (f))
    {
      JsonObject *configurable = json_object_get_object_member (config, "configurable");

      g_assert_false (json_object_has_member (config, "tools"));
      g_assert_false (json_object_has_member (config, "instructions"));
      g_assert_cmpstr (json_object_get_string_member (configurable, "type"), ==, "agent");
      g_assert_cmpstr (json_object_get_string_member (configurable, "type==agent/model"), ==,
                       "gpt-4o-mini");
      g_assert_cmpstr (json_object_get_string_member (configurable,
                                                      "type==agent/system_message"), ==,
                       "# Role\nYou help with *research*.");
      sent_tools = json_object_get_array_member (configurable, "type==agent/tools");
    }
  else
    {
      g_assert_cmpstr (json_object_get_string_member (config, "model"), ==, "gpt-4o-mini");
      g_assert_cmpstr (json_object_get_string_member (config, "instructions"), ==,
                       "# Role\nYou help with *research*.");
      g_assert_false (json_object_has_member (json_object_get_object_member (config,
                                                                             "configurable"),
                                              "type==agent/tools"));
      sent_tools = json_object_get_array_member (config, "tools");
    }
  g_assert_cmpuint (json_array_get_length (sent_tools), ==, G_N_ELEMENTS (every_tool));
  for (guint i = 0; i < G_N_ELEMENTS (every_tool); i++)
    {
      const char *type = g_str_has_prefix (every_tool[i], "preset:") ? "function" : every_tool[i];

      check_tool_shape (f, json_array_get_object_element (sent_tools, i), type);
    }
  g_assert_cmpint (json_object_get_int_member (sent_settings (f, json_array_get_object_element (
    sent_tools, 0)), "max_results"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (sent_settings (f, json_array_get_object_element (
    sent_tools, 6)), "top_k"), ==, 6);
  g_assert_cmpfloat (json_object_get_double_member (sent_settings (f,
    json_array_get_object_element (sent_tools, 6)), "score_threshold"), ==, 0.75);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sent_tools, 8),
                                                  "name"), ==, "lookup_order");
  {
    JsonObject *parameters =
      json_object_get_object_member (sent_settings (f, json_array_get_object_element (sent_tools,
                                                                                      8)),
                                     "parameters");

    g_assert_true (json_object_has_member (json_object_get_object_member (parameters,
                                                                          "properties"),
                                           "include_items"));
  }

  /* Read back field for field. */
  fetched = fetch (f, id);
  g_assert_cmpstr (epsimo_assistant_get_name (fetched), ==, "Research Helper");
  g_assert_cmpstr (epsimo_assistant_get_model (fetched), ==, "gpt-4o-mini");
  g_assert_cmpstr (epsimo_assistant_get_instructions (fetched), ==,
                   "# Role\nYou help with *research*.");
  g_assert_true (epsimo_assistant_get_public (fetched));
  tools = epsimo_assistant_get_tools (fetched);
  g_assert_cmpuint (g_list_model_get_n_items (tools), ==, G_N_ELEMENTS (every_tool));
  for (guint i = 0; i < G_N_ELEMENTS (every_tool); i++)
    {
      g_autoptr(EpsimoTool) tool = g_list_model_get_item (tools, i);
      const char *type = g_str_has_prefix (every_tool[i], "preset:") ? "function" : every_tool[i];

      g_assert_cmpstr (epsimo_tool_get_tool_type (tool), ==, type);
      if (is_live (f))
        g_assert_nonnull (epsimo_tool_get_id (tool));
    }
  {
    g_autoptr(EpsimoTool) tavily = g_list_model_get_item (tools, 0);
    g_autoptr(EpsimoTool) answer = g_list_model_get_item (tools, 1);
    g_autoptr(EpsimoTool) ddg = g_list_model_get_item (tools, 2);
    g_autoptr(EpsimoTool) retrieval = g_list_model_get_item (tools, 6);
    g_autoptr(EpsimoTool) function = g_list_model_get_item (tools, 8);
    g_autoptr(EpsimoTool) update_database = g_list_model_get_item (tools, 9);
    g_autoptr(EpsimoTool) manage_task = g_list_model_get_item (tools, 10);
    g_autoptr(JsonNode) expected = NULL;
    g_autoptr(JsonNode) actual = NULL;
    g_autoptr(EpsimoTool) preset = NULL;

    g_assert_cmpint (epsimo_tool_get_max_results (tavily), ==, 7);
    g_assert_cmpint (epsimo_tool_get_max_results (answer), ==, 5);
    g_assert_cmpint (epsimo_tool_get_max_results (ddg), ==, 20);
    g_assert_cmpint (epsimo_tool_get_top_k (retrieval), ==, 6);
    g_assert_cmpfloat (epsimo_tool_get_score_threshold (retrieval), ==, 0.75);
    g_assert_cmpstr (epsimo_tool_get_name (function), ==, "lookup_order");
    g_assert_cmpstr (epsimo_tool_get_description (function), ==,
                     "Look up an order by its number.");
    expected = json_from_string ("{\"type\": \"object\", \"properties\": {"
                                 "\"order_id\": {\"type\": \"string\", "
                                 "\"description\": \"The order number\"}, "
                                 "\"include_items\": {\"type\": \"boolean\"}}, "
                                 "\"required\": [\"order_id\"]}", NULL);
    actual = json_node_init_object (json_node_alloc (), epsimo_tool_get_parameters (function));
    g_assert_true (epsimo_json_node_equal (expected, actual));

    g_assert_cmpstr (epsimo_tool_get_name (update_database), ==, "update_database");
    preset = epsimo_tool_new_update_database ();
    g_clear_pointer (&expected, json_node_unref);
    g_clear_pointer (&actual, json_node_unref);
    expected = json_node_init_object (json_node_alloc (), epsimo_tool_get_parameters (preset));
    actual = json_node_init_object (json_node_alloc (),
                                    epsimo_tool_get_parameters (update_database));
    g_assert_true (epsimo_json_node_equal (expected, actual));
    g_assert_cmpstr (epsimo_tool_get_name (manage_task), ==, "manage_task");
    g_assert_true (json_object_has_member (json_object_get_object_member (
      epsimo_tool_get_parameters (manage_task), "properties"), "action"));
  }

  /* Back to the list: the row shows model, tools and the badge. */
  activate_and_wait (f, "assistants.back", NULL, list_shown);
  epsimo_ui_test_spin (100);
  {
    GtkWidget *list_row = epsimo_ui_test_find_widget (page_child (f, "list_view"),
                                                      EPSIMO_TYPE_ASSISTANT_ROW, NULL);
    g_autoptr(GPtrArray) texts = NULL;
    gboolean found_details = FALSE, found_badge = FALSE, found_name = FALSE;

    g_assert_nonnull (list_row);
    texts = epsimo_ui_test_collect_texts (list_row);
    for (guint i = 0; i < texts->len; i++)
      {
        const char *text = g_ptr_array_index (texts, i);

        found_name |= g_str_equal (text, "Research Helper");
        found_details |= g_str_equal (text, "gpt-4o-mini · 11 tools");
        found_badge |= g_str_equal (text, "Public");
      }
    g_assert_true (found_name);
    g_assert_true (found_details);
    g_assert_true (found_badge);
  }
}

/* Creates "name" with a search tool and a function through the editor; stays in the editor. */
static char *
create_assistant (Fixture    *f,
                  const char *name)
{
  GtkWidget *row;

  activate_and_wait (f, "assistants.new", NULL, editor_shown);
  set_text (editor_widget (f, "name_row"), name);
  set_instructions (f, "Be brief.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor (f)), "editor.add-tool", "s",
                                             "ddg_search"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor (f)), "editor.add-tool", "s",
                                             "function"));
  row = tool_row (f, 1);
  set_text (tool_row_child (row, "fn_name_row"), "get_time");
  epsimo_json_editor_set_text (EPSIMO_JSON_EDITOR (tool_row_child (row, "schema_editor")),
                               "{\"type\": \"object\", \"properties\": "
                               "{\"zone\": {\"type\": \"string\"}}}");
  save_and_wait (f);
  g_assert_nonnull (epsimo_assistant_editor_get_original (editor (f)));
  return g_strdup (epsimo_assistant_get_id (epsimo_assistant_editor_get_original (editor (f))));
}

static void
test_invalid_schema_blocks_save (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *id = create_assistant (f, "Schema Check");
  EpsimoJsonEditor *schema = EPSIMO_JSON_EDITOR (tool_row_child (tool_row (f, 1),
                                                                 "schema_editor"));
  const char *hint;

  epsimo_test_server_clear_requests (f->server);
  epsimo_json_editor_set_text (schema,
                               "{\n"
                               "  \"type\": \"object\",\n"
                               "  \"properties\": {\n"
                               "    \"zone\": {\"type\": \"string\"},\n"
                               "  }\n"
                               "}");
  g_assert_cmpstr (epsimo_json_editor_get_error (schema), ==,
                   "Line 5, column 3: a comma cannot come before “}”");
  g_assert_true (gtk_widget_get_visible (editor_child (schema, "error_label")));
  g_assert_false (action_enabled (f, "assistants.save"));
  hint = gtk_label_get_text (GTK_LABEL (editor_widget (f, "save_hint")));
  g_assert_cmpstr (hint, ==, "Cannot save: Function “get_time”, parameters: Line 5, column 3: "
                             "a comma cannot come before “}”");
  g_assert_true (gtk_widget_get_visible (tool_row_child (tool_row (f, 1), "problem_icon")));

  /* Ctrl+S does nothing now. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "assistants.save", NULL);
  epsimo_ui_test_spin (100);
  g_assert_false (epsimo_assistant_editor_get_saving (editor (f)));

  /* Parses, but names a required property that is not there. */
  epsimo_json_editor_set_text (schema,
                               "{\"type\": \"object\", \"properties\": {}, "
                               "\"required\": [\"zone\"]}");
  g_assert_false (action_enabled (f, "assistants.save"));
  g_assert_true (strstr (gtk_label_get_text (GTK_LABEL (editor_widget (f, "save_hint"))),
                         "“zone” is required but is not one of the properties.") != NULL);
  g_assert_cmpuint (count_requests (f, "PUT", "/assistants/*"), ==, 0);

  /* The leave dialog cannot save it either, and says why. */
  activate (f, "assistants.back", NULL);
  {
    GtkWidget *dialog = wait_dialog ();

    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                             "save"));
    g_assert_true (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                           "It cannot be saved as it is: ") != NULL);
    respond ("cancel");
    g_assert_true (editor_shown (f));
  }

  /* Fixed: saves. */
  epsimo_json_editor_set_text (schema,
                               "{\"type\": \"object\", \"properties\": "
                               "{\"zone\": {\"type\": \"string\"}}, \"required\": [\"zone\"]}");
  g_assert_true (action_enabled (f, "assistants.save"));
  save_and_wait (f);
  g_assert_cmpuint (count_requests (f, "PUT", "/assistants/*"), ==, 1);
  g_assert_false (epsimo_assistant_editor_get_dirty (editor (f)));
}

static gboolean
banner_revealed (gpointer data)
{
  Fixture *f = data;

  return epsimo_error_banner_get_revealed (EPSIMO_ERROR_BANNER (editor_widget (f, "banner")));
}

static void
test_validation_marks_field (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = NULL;
  GtkWidget *name_row = NULL;

  /* A new assistant refused by name. */
  epsimo_test_server_fail (f->server, "POST", "/assistants*", 422, 1,
                           "{\"error\": \"Validation Error\", "
                           "\"detail\": \"An assistant with this name exists\", "
                           "\"field\": \"name\"}");
  activate_and_wait (f, "assistants.new", NULL, editor_shown);
  set_text (editor_widget (f, "name_row"), "Taken");
  set_instructions (f, "Keep this text.");
  save_and_wait (f);
  name_row = editor_widget (f, "name_row");
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  g_assert_true (gtk_widget_get_visible (editor_widget (f, "name_error")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_widget (f, "name_error"))), ==,
                   "An assistant with this name exists");
  /* Nothing typed is lost, and it is still unsaved. */
  g_assert_null (epsimo_assistant_editor_get_original (editor (f)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Taken");
  g_assert_cmpstr (epsimo_assistant_get_instructions (epsimo_assistant_editor_get_draft (
    editor (f))), ==, "Keep this text.");
  g_assert_true (epsimo_assistant_editor_get_dirty (editor (f)));

  /* Editing the field clears the mark; then it saves. */
  set_text (name_row, "Not Taken");
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_false (gtk_widget_get_visible (editor_widget (f, "name_error")));
  save_and_wait (f);
  g_assert_nonnull (epsimo_assistant_editor_get_original (editor (f)));

  /* An update refused on the model. */
  epsimo_test_server_fail (f->server, "PUT", "/assistants/*", 422, 1,
                           "{\"error\": \"Validation Error\", "
                           "\"detail\": \"Unknown model\", \"field\": \"config.model\"}");
  set_text (editor_widget (f, "model_row"), "gpt-nonexistent");
  save_and_wait (f);
  g_assert_true (gtk_widget_has_css_class (editor_widget (f, "model_row"), "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_widget (f, "model_error"))), ==,
                   "Unknown model");
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));

  /* A field the form does not have: the banner at the top. */
  epsimo_test_server_fail (f->server, "PUT", "/assistants/*", 422, 1,
                           "{\"error\": \"Validation Error\", "
                           "\"detail\": \"Quota of public assistants reached\", "
                           "\"field\": \"owner\"}");
  save_and_wait (f);
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, f, TIMEOUT));
  g_assert_cmpstr (epsimo_error_banner_get_message (EPSIMO_ERROR_BANNER (editor_widget (f,
                                                                                       "banner"))),
                   ==, "The server did not accept the assistant: Quota of public assistants "
                       "reached");
  g_assert_false (gtk_widget_has_css_class (editor_widget (f, "model_row"), "error"));

  /* Saving again hides the banner; this time it goes through. */
  set_text (editor_widget (f, "model_row"), "gpt-4o");
  save_and_wait (f);
  g_assert_false (banner_revealed (f));
  g_assert_false (epsimo_assistant_editor_get_dirty (editor (f)));
}

static GtkWidget *
wait_dialog (void)
{
  GtkWidget *dialog = NULL;

  for (guint i = 0; i < 250 && dialog == NULL; i++)
    {
      epsimo_ui_test_spin (20);
      dialog = epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    }
  g_assert_nonnull (dialog);
  return dialog;
}

static gboolean
no_dialog (gpointer data)
{
  return epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

/* Clicks the dialog's button, as a user does (the dialog then closes). */
static void
respond (const char *response)
{
  GtkWidget *dialog = wait_dialog ();
  g_autofree char *label = adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog),
                                                                  response)
                           ? g_strdup (adw_message_dialog_get_response_label (
                               ADW_MESSAGE_DIALOG (dialog), response))
                           : NULL;
  GtkWidget *button;

  g_assert_nonnull (label);
  button = epsimo_ui_test_find_widget (dialog, GTK_TYPE_BUTTON, label);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (epsimo_ui_test_wait_for (no_dialog, NULL, TIMEOUT));
}

static void
confirm_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  int *answer = user_data;

  *answer = epsimo_assistants_page_confirm_leave_finish (EPSIMO_ASSISTANTS_PAGE (source),
                                                         result, NULL) ? 1 : 0;
}

static gboolean
answered (gpointer data)
{
  return *(int *) data >= 0;
}

static const char *
listed_name (Fixture *f,
             guint    position)
{
  GtkWidget *list_view = page_child (f, "list_view");
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  g_autoptr(EpsimoAssistant) assistant = g_list_model_get_item (model, position);

  return assistant != NULL ? epsimo_assistant_get_name (assistant) : NULL;
}

static void
test_discard_and_keep_on_navigation (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *id = create_assistant (f, "Keeper");
  g_autoptr(EpsimoProject) other = NULL;
  g_autoptr(JsonObject) body = NULL;
  GtkWidget *name_row = editor_widget (f, "name_row");
  int answer;

  /* Unsaved changes survive another section and back. */
  set_text (name_row, "Keeper 2");
  g_assert_true (epsimo_assistants_page_get_has_unsaved_changes (f->page));
  adw_view_stack_set_visible_child_name (f->view_stack, "other");
  epsimo_ui_test_spin (100);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  adw_view_stack_set_visible_child_name (f->view_stack, "assistants");
  epsimo_ui_test_spin (100);
  g_assert_true (editor_shown (f));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Keeper 2");
  g_assert_true (gtk_widget_get_visible (editor_widget (f, "unsaved_label")));

  /* Back asks: Cancel keeps editing. */
  epsimo_test_server_clear_requests (f->server);
  activate (f, "assistants.back", NULL);
  respond ("cancel");
  g_assert_true (editor_shown (f));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Keeper 2");

  /* Discard drops the changes, and nothing is sent. */
  activate (f, "assistants.back", NULL);
  respond ("discard");
  g_assert_true (epsimo_ui_test_wait_for (list_shown, f, TIMEOUT));
  g_assert_false (epsimo_assistant_editor_is_editing (editor (f)));
  g_assert_cmpuint (count_requests (f, "PUT", "/assistants/*"), ==, 0);
  g_assert_cmpstr (listed_name (f, 0), ==, "Keeper");

  /* Save from the dialog. */
  activate_and_wait (f, "assistants.open", id, editor_shown);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Keeper");
  set_text (name_row, "Keeper 3");
  activate (f, "assistants.back", NULL);
  respond ("save");
  g_assert_true (epsimo_ui_test_wait_for (list_shown, f, TIMEOUT));
  body = last_body (f, "PUT", "/assistants/*");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Keeper 3");
  g_assert_cmpstr (listed_name (f, 0), ==, "Keeper 3");

  /* The window asks before switching project. */
  activate_and_wait (f, "assistants.open", id, editor_shown);
  set_text (name_row, "Keeper 4");
  answer = -1;
  epsimo_assistants_page_confirm_leave_async (f->page, NULL, confirm_cb, &answer);
  respond ("cancel");
  g_assert_true (epsimo_ui_test_wait_for (answered, &answer, TIMEOUT));
  g_assert_cmpint (answer, ==, 0);
  g_assert_true (editor_shown (f));
  answer = -1;
  epsimo_assistants_page_confirm_leave_async (f->page, NULL, confirm_cb, &answer);
  respond ("discard");
  g_assert_true (epsimo_ui_test_wait_for (answered, &answer, TIMEOUT));
  g_assert_cmpint (answer, ==, 1);
  g_assert_true (list_shown (f));

  /* Nothing unsaved: fine to leave at once. */
  answer = -1;
  epsimo_assistants_page_confirm_leave_async (f->page, NULL, confirm_cb, &answer);
  g_assert_true (epsimo_ui_test_wait_for (answered, &answer, TIMEOUT));
  g_assert_cmpint (answer, ==, 1);

  /* The project changes under unsaved changes: asked; Cancel keeps the draft of its own
   * project, and saving later writes there. */
  other = create_project (f, "Other Project");
  activate_and_wait (f, "assistants.open", id, editor_shown);
  set_text (name_row, "Keeper 5");
  epsimo_test_server_clear_requests (f->server);
  epsimo_assistants_page_set_project (f->page, other);
  respond ("cancel");
  g_assert_true (editor_shown (f));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Keeper 5");
  g_assert_true (epsimo_ui_test_wait_for (list_loaded, f, TIMEOUT));
  g_assert_cmpstr (list_state (f), ==, "empty");
  activate (f, "assistants.back", NULL);
  respond ("save");
  g_assert_true (epsimo_ui_test_wait_for (list_shown, f, TIMEOUT));
  g_clear_pointer (&body, json_object_unref);
  body = last_body (f, "PUT", "/assistants/*");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Keeper 5");
  g_assert_cmpstr (list_state (f), ==, "empty");

  /* A project change without unsaved changes just closes the editor. */
  epsimo_assistants_page_set_project (f->page, f->project);
  g_assert_true (epsimo_ui_test_wait_for (list_loaded, f, TIMEOUT));
  activate_and_wait (f, "assistants.open", id, editor_shown);
  epsimo_assistants_page_set_project (f->page, other);
  g_assert_true (list_shown (f));
  g_assert_true (no_dialog (NULL));

  /* Signed out: nothing of the account stays. */
  epsimo_assistants_page_set_project (f->page, f->project);
  g_assert_true (epsimo_ui_test_wait_for (list_loaded, f, TIMEOUT));
  activate_and_wait (f, "assistants.open", id, editor_shown);
  set_text (name_row, "Keeper 6");
  g_object_set (f->page, "session", NULL, "project", NULL, NULL);
  g_assert_true (list_shown (f));
  g_assert_cmpstr (list_state (f), ==, "none");
  g_assert_false (epsimo_assistant_editor_is_editing (editor (f)));
}

static gboolean
n_listed_is (Fixture *f,
             guint    n)
{
  GtkWidget *list_view = page_child (f, "list_view");

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (
    list_view)))) == n;
}

static gboolean
two_listed (gpointer data)
{
  return n_listed_is (data, 2);
}

static gboolean
one_listed (gpointer data)
{
  return n_listed_is (data, 1);
}

static void
test_duplicate_and_delete (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = create_assistant (f, "Original");
  g_autoptr(EpsimoAssistant) original = NULL;
  g_autoptr(EpsimoAssistant) copy = NULL;
  g_autofree char *copy_id = NULL;
  GListModel *original_tools;
  GListModel *copy_tools;

  activate_and_wait (f, "assistants.back", NULL, list_shown);

  activate (f, "assistants.duplicate", id);
  g_assert_true (epsimo_ui_test_wait_for (two_listed, f, TIMEOUT));
  g_assert_cmpstr (listed_name (f, 1), ==, "Original (Copy)");
  g_assert_true (has_toast (f, "Created “Original (Copy)”"));

  {
    GtkWidget *list_view = page_child (f, "list_view");
    GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
    g_autoptr(EpsimoAssistant) listed = g_list_model_get_item (model, 1);

    copy_id = g_strdup (epsimo_assistant_get_id (listed));
  }
  g_assert_cmpstr (copy_id, !=, id);

  original = fetch (f, id);
  copy = fetch (f, copy_id);
  g_assert_cmpstr (epsimo_assistant_get_instructions (copy), ==,
                   epsimo_assistant_get_instructions (original));
  g_assert_cmpstr (epsimo_assistant_get_model (copy), ==, epsimo_assistant_get_model (original));
  original_tools = epsimo_assistant_get_tools (original);
  copy_tools = epsimo_assistant_get_tools (copy);
  g_assert_cmpuint (g_list_model_get_n_items (copy_tools), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(EpsimoTool) a = g_list_model_get_item (original_tools, i);
      g_autoptr(EpsimoTool) b = g_list_model_get_item (copy_tools, i);

      g_assert_cmpstr (epsimo_tool_get_tool_type (a), ==, epsimo_tool_get_tool_type (b));
      g_assert_cmpstr (epsimo_tool_get_name (a), ==, epsimo_tool_get_name (b));
      /* New tools of a new assistant (only the live dialect names tools). */
      if (is_live (f))
        g_assert_cmpstr (epsimo_tool_get_id (a), !=, epsimo_tool_get_id (b));
    }
  {
    g_autoptr(EpsimoTool) a = g_list_model_get_item (original_tools, 1);
    g_autoptr(EpsimoTool) b = g_list_model_get_item (copy_tools, 1);
    g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (),
                                                    epsimo_tool_get_parameters (a));
    g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (),
                                                    epsimo_tool_get_parameters (b));

    g_assert_true (epsimo_json_node_equal (na, nb));
  }

  /* Delete asks first: Cancel keeps it. */
  activate (f, "assistants.delete", copy_id);
  respond ("cancel");
  g_assert_true (n_listed_is (f, 2));
  g_assert_cmpuint (count_requests (f, "DELETE", "/assistants/*"), ==, 0);

  activate (f, "assistants.delete", copy_id);
  respond ("delete");
  g_assert_true (epsimo_ui_test_wait_for (one_listed, f, TIMEOUT));
  g_assert_cmpuint (count_requests (f, "DELETE", "/assistants/*"), ==, 1);
  g_assert_cmpstr (listed_name (f, 0), ==, "Original");
  g_assert_true (has_toast (f, "Deleted “Original (Copy)”"));
}

static void
add_server_test (const char *name,
                 void      (*func) (Fixture *, gconstpointer))
{
  static const char * const dialects[] = { "live", "reference" };

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autofree char *path = g_strdup_printf ("/assistants/%s/%s", name, dialects[i]);

      g_test_add (path, Fixture, dialects[i], fixture_setup, func, fixture_teardown);
    }
}

int
main (int    argc,
      char **argv)
{
  epsimo_ui_test_init (&argc, &argv);

  g_test_add_func ("/assistants/json-editor/validation", test_json_editor_validation);
  g_test_add_func ("/assistants/function/builder-sync", test_function_builder_sync);

  if (g_getenv ("EPSIMO_TEST_SERVER") != NULL)
    {
      add_server_test ("create-every-tool", test_create_every_tool);
      add_server_test ("invalid-schema-blocks-save", test_invalid_schema_blocks_save);
      add_server_test ("validation-marks-field", test_validation_marks_field);
      add_server_test ("discard-and-keep", test_discard_and_keep_on_navigation);
      add_server_test ("duplicate-and-delete", test_duplicate_and_delete);
    }

  return g_test_run ();
}
