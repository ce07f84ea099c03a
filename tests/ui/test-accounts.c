/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Accounts in the real window, against epsimo-test-server and a real unlocked keyring. */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <string.h>

#include "epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "epsimo-window.h"
#include "account/epsimo-account-menu.h"
#include "account/epsimo-sign-in-page.h"
#include "projects/epsimo-project-list.h"
#include "chat/epsimo-chat-page-private.h"

#define PASSWORD "correct horse battery"

static EpsimoTestServer *server;
static GString *log_text;

/* Everything the app logs, debug messages included, is kept to check for secrets. */
static GLogWriterOutput
capture_log (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (log_text, fields[i].value);
      else
        g_string_append_len (log_text, fields[i].value, fields[i].length);
      g_string_append_c (log_text, '\n');
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static char *
unique_email (const char *who)
{
  static guint counter;

  return g_strdup_printf ("%s.%u.%u@example.test", who, (guint) getpid (), ++counter);
}

static GtkWidget *
window (void)
{
  GtkWidget *w = epsimo_ui_test_find_toplevel (EPSIMO_TYPE_WINDOW);

  g_assert_nonnull (w);
  return w;
}

static GtkWidget *
page_child (const char *name)
{
  GtkWidget *page = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_SIGN_IN_PAGE, NULL);

  g_assert_nonnull (page);
  return GTK_WIDGET (gtk_widget_get_template_child (page, EPSIMO_TYPE_SIGN_IN_PAGE, name));
}

static const char *
visible_page (void)
{
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (window (), EPSIMO_TYPE_WINDOW,
                                                                "main_stack"));
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
page_is (gpointer name)
{
  return epsimo_ui_test_find_toplevel (EPSIMO_TYPE_WINDOW) != NULL
         && g_strcmp0 (visible_page (), name) == 0;
}

static gboolean
message_shown (gpointer data)
{
  GtkWidget *label = page_child ("message_label");

  return gtk_widget_get_visible (label) && *gtk_label_get_text (GTK_LABEL (label)) != '\0';
}

static void
fill_form (const char *email,
           const char *password)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child ("email_row")), email);
  gtk_editable_set_text (GTK_EDITABLE (page_child ("password_row")), password);
}

static void
set_sign_up_mode (void)
{
  GtkWidget *primary_label = page_child ("primary_label");

  if (strstr (gtk_label_get_text (GTK_LABEL (primary_label)), "Create") == NULL)
    g_signal_emit_by_name (page_child ("mode_button"), "clicked");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (primary_label)), ==, "Create Account");
}

static void
click_primary (void)
{
  GtkWidget *button = page_child ("primary_button");

  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
page_settled (gpointer data)
{
  return page_is ((gpointer) "sign-in") || page_is ((gpointer) "main");
}

static EpsimoApplication *
start_app (void)
{
  EpsimoApplication *app = epsimo_ui_test_start_app ();

  g_assert_true (epsimo_ui_test_wait_for (page_settled, NULL, 10000));
  return app;
}

static void
stop_app (EpsimoApplication *app)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  epsimo_ui_test_spin (50);
  g_object_unref (app);
}

static void
sign_up (EpsimoApplication *app,
         const char        *email)
{
  set_sign_up_mode ();
  fill_form (email, PASSWORD);
  click_primary ();
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "main", 10000));
  g_assert_cmpstr (epsimo_session_get_email (epsimo_application_get_session (app)), ==, email);
}

static char *
keyring_lookup (const char *email)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *command = g_strdup_printf (
    "secret-tool search --all xdg:schema com.epsimoagents.Desktop.Account email %s", email);
  int status = 0;

  /* secret-tool prints the attributes on stderr and the rest on stdout. */
  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, NULL));
  return g_strconcat (out, err, NULL);
}

static guint
count_logins (void)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (server);

  return epsimo_test_count_requests (requests, "POST", "/auth/login");
}

/* The balance as asked in either dialect. */
static guint
count_balance_asks (void)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (server);

  return epsimo_test_count_requests (requests, "GET", "/auth/thread-info")
         + epsimo_test_count_requests (requests, "GET", "/credits/balance");
}

static gboolean
main_window_active (gpointer data)
{
  GtkWindow *window = GTK_WINDOW (epsimo_ui_test_find_toplevel (EPSIMO_TYPE_WINDOW));

  return window != NULL && gtk_window_is_active (window);
}

static void
test_sign_up_then_sign_in (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("new");
  GtkWidget *hint;

  g_assert_cmpstr (visible_page (), ==, "sign-in");

  /* Inline validation: a wrong address and a short password are caught as typed. */
  set_sign_up_mode ();
  fill_form ("not-an-address", "short");
  hint = page_child ("hint_label");
  g_assert_true (gtk_widget_get_visible (hint));
  g_assert_false (gtk_widget_get_sensitive (page_child ("primary_button")));
  g_assert_true (gtk_widget_has_css_class (page_child ("email_row"), "error"));
  fill_form (email, "short");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), ==,
                   "The password needs at least 8 characters.");
  g_assert_false (gtk_widget_get_sensitive (page_child ("primary_button")));

  sign_up (app, email);

  /* The server has the account, and the menu says who is signed in. */
  {
    g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (server);
    JsonObject *signup = epsimo_test_find_request (requests, "POST", "/auth/signup");
    g_autoptr(JsonObject) body = epsimo_test_request_body (signup);

    g_assert_cmpstr (json_object_get_string_member (body, "email"), ==, email);
  }
  {
    GtkWidget *menu = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_ACCOUNT_MENU, NULL);
    GtkWidget *email_label = GTK_WIDGET (gtk_widget_get_template_child (
      menu, EPSIMO_TYPE_ACCOUNT_MENU, "email_label"));

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (email_label)), ==, email);
  }

  /* Sign out, then sign in with the same credentials. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));
  g_assert_null (epsimo_application_get_session (app));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child ("email_row"))), ==, email);
  gtk_editable_set_text (GTK_EDITABLE (page_child ("password_row")), PASSWORD);
  click_primary ();
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "main", 10000));

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000);
  stop_app (app);
}

static void
test_wrong_password (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("wrong");

  sign_up (app, email);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));

  fill_form (email, "not the password");
  click_primary ();
  g_assert_true (epsimo_ui_test_wait_for (message_shown, NULL, 10000));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child ("message_label"))), ==,
                   "The e-mail address or the password is wrong.");
  g_assert_cmpstr (visible_page (), ==, "sign-in");
  /* What the user typed is kept, so fixing a typo is one keystroke away. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child ("email_row"))), ==, email);
  stop_app (app);
}

static void
test_unreachable_server (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("offline");
  GtkWidget *server_entry = page_child ("server_entry");

  /* Nothing listens on port 1 of this machine. */
  gtk_editable_set_text (GTK_EDITABLE (server_entry), "http://127.0.0.1:1");
  g_signal_emit_by_name (server_entry, "apply");
  fill_form (email, PASSWORD);
  click_primary ();
  g_assert_true (epsimo_ui_test_wait_for (message_shown, NULL, 30000));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (page_child ("message_label"))),
                            "127.0.0.1"));

  /* Back to the test server for the other tests. */
  gtk_editable_set_text (GTK_EDITABLE (server_entry), epsimo_test_server_get_url (server));
  g_signal_emit_by_name (server_entry, "apply");
  stop_app (app);
}

static void
test_restart_signs_in_silently (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("restart");
  g_autofree char *stored = NULL;
  guint logins;

  sign_up (app, email);
  stored = keyring_lookup (email);
  g_assert_nonnull (strstr (stored, "attribute.kind = password"));
  stop_app (app);

  /* A new start signs in from the keyring without a form, using the stored token. */
  epsimo_test_server_clear_requests (server);
  app = epsimo_ui_test_start_app ();
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "main", 10000));
  g_assert_cmpstr (epsimo_session_get_email (epsimo_application_get_session (app)), ==, email);
  logins = count_logins ();
  g_assert_cmpuint (logins, ==, 0);
  /* The form never came up on the way, not even for an instant (it is only built when
   * shown). */
  g_assert_null (epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_SIGN_IN_PAGE, NULL));

  /* Signing out builds and shows the form. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));
  g_assert_true (gtk_widget_get_mapped (page_child ("email_row")));
  stop_app (app);
}

static gboolean
keyring_has_project_token (gpointer email)
{
  g_autofree char *stored = keyring_lookup (email);

  return strstr (stored, "attribute.kind = project-token") != NULL;
}

static gboolean
list_has_projects (gpointer data)
{
  EpsimoProjectList *list = EPSIMO_PROJECT_LIST (
    epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_PROJECT_LIST, NULL));

  return list != NULL && g_list_model_get_n_items (epsimo_project_list_get_model (list)) > 0;
}

/* The server was asked GET @path (a glob). */
static gboolean
get_seen (gpointer path)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (server);

  return epsimo_test_count_requests (requests, "GET", path) > 0;
}

/* The project open last keeps its token in the keyring: the next start lists its threads
 * with it at once, before (or without) asking the server for the project's token, and
 * asks for the reopened thread's history beside them, before the window is even built. */
static void
test_restart_lists_threads_at_once (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("reopen");
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"count\": 1}", email);
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *command = NULL;
  g_autofree char *token = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *thread_body = NULL;
  g_autofree char *history_path = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("com.epsimoagents.Desktop");
  EpsimoProjectList *list;
  g_autofree char *project_id = NULL;
  g_autofree char *thread_id = NULL;
  guint history_at;
  JsonObject *threads_request;
  guint threads_at;

  sign_up (app, email);
  project_id = epsimo_test_server_seed_first_id (server, "seed-projects", body, "project_ids");
  gtk_widget_activate_action (window (), "win.refresh-projects", NULL);
  g_assert_true (epsimo_ui_test_wait_for (list_has_projects, NULL, 10000));
  list = EPSIMO_PROJECT_LIST (epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_PROJECT_LIST,
                                                          NULL));
  g_assert_true (epsimo_project_list_select_project_id (list, project_id));
  g_assert_true (epsimo_ui_test_wait_for (keyring_has_project_token, email, 10000));
  stored = keyring_lookup (email);
  g_assert_nonnull (strstr (stored, project_id));
  command = g_strdup_printf ("env -u G_MESSAGES_DEBUG secret-tool lookup "
                             "xdg:schema com.epsimoagents.Desktop.Account "
                             "email %s kind project-token", email);
  g_assert_true (g_spawn_command_line_sync (command, &token, NULL, NULL, NULL));
  g_strstrip (token);
  g_assert_cmpstr (token, !=, "");
  stop_app (app);

  /* A thread of it was open when the app was closed. */
  thread_body = g_strdup_printf ("{\"project_id\": \"%s\", \"count\": 1}", project_id);
  thread_id = epsimo_test_server_seed_first_id (server, "seed-threads", thread_body,
                                                "thread_ids");
  g_settings_set_string (settings, "last-thread", thread_id);
  history_path = g_strdup_printf ("/threads/%s/*", thread_id);

  epsimo_test_server_clear_requests (server);
  app = epsimo_ui_test_start_app ();
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "main", 10000));
  g_assert_true (epsimo_ui_test_wait_for (get_seen, (gpointer) "/threads/", 10000));

  requests = epsimo_test_server_get_requests (server);
  project_path = g_strdup_printf ("/projects/%s", project_id);
  threads_at = epsimo_test_first_request_index (requests, "GET", "/threads/");
  threads_request = json_array_get_object_element (requests, threads_at);
  authorization = g_strdup_printf ("Bearer %s", token);
  g_assert_cmpstr (json_object_get_string_member (threads_request, "authorization"), ==,
                   authorization);
  g_assert_cmpuint (threads_at, <, epsimo_test_first_request_index (requests, "GET", project_path));
  g_assert_cmpuint (count_logins (), ==, 0);

  /* The history was asked with the stored token too, before what the window asks once it
   * is built (the project's assistants). */
  g_assert_true (epsimo_ui_test_wait_for (get_seen, history_path, 10000));
  g_clear_pointer (&requests, json_array_unref);
  requests = epsimo_test_server_get_requests (server);
  history_at = epsimo_test_first_request_index (requests, "GET", history_path);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (requests, history_at), "authorization"),
                   ==, authorization);
  g_assert_cmpuint (history_at, <,
                    epsimo_test_first_request_index (requests, "GET", "/assistants/"));

  /* Signing out forgets it with the rest. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));
  for (guint i = 0; i < 100 && keyring_has_project_token (email); i++)
    epsimo_ui_test_spin (50);
  g_assert_false (keyring_has_project_token (email));
  stop_app (app);
}

/* What the window showed the moment it was first mapped (its first frame follows). */
typedef struct
{
  gboolean  seen;
  char     *page;
  gboolean  chat_loading;
  gboolean  projects_loading;
  guint     threads;
  guint     transcript_items;
} FirstMap;

static FirstMap first_map;

static gboolean
record_first_map (GSignalInvocationHint *hint,
                  guint                  n_values,
                  const GValue          *values,
                  gpointer               data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);
  GtkWidget *stack;
  EpsimoChatPage *chat;
  GtkListView *threads;
  EpsimoTranscriptView *transcript;
  GtkSelectionModel *rows;

  if (!EPSIMO_IS_WINDOW (widget))
    return TRUE;    /* the hook stays */

  stack = GTK_WIDGET (gtk_widget_get_template_child (widget, EPSIMO_TYPE_WINDOW, "main_stack"));
  chat = EPSIMO_CHAT_PAGE (epsimo_ui_test_find_widget (widget, EPSIMO_TYPE_CHAT_PAGE, NULL));
  threads = GTK_LIST_VIEW (epsimo_chat_page_get_threads_view (chat));
  transcript = epsimo_chat_page_get_transcript (chat);
  rows = gtk_list_view_get_model (GTK_LIST_VIEW (epsimo_transcript_view_get_list_view (transcript)));

  first_map.seen = TRUE;
  first_map.page = g_strdup (gtk_stack_get_visible_child_name (GTK_STACK (stack)));
  first_map.chat_loading = epsimo_chat_page_get_loading (chat);
  first_map.projects_loading = epsimo_project_list_get_loading (
    EPSIMO_PROJECT_LIST (epsimo_ui_test_find_widget (widget, EPSIMO_TYPE_PROJECT_LIST, NULL)));
  first_map.threads = g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (threads)));
  first_map.transcript_items = rows != NULL ? g_list_model_get_n_items (G_LIST_MODEL (rows)) : 0;
  return FALSE;     /* once */
}

static void
watch_first_map (void)
{
  g_clear_pointer (&first_map.page, g_free);
  memset (&first_map, 0, sizeof first_map);
  g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, record_first_map,
                              NULL, NULL);
}

static gboolean
first_map_seen (gpointer data)
{
  return first_map.seen;
}

/* A start that resumes the account shows the window once what it reopens is in: its
 * first frame has the project's threads and the thread's history, not the "Signing In"
 * page and spinners. When the server is slow, it shows at once all the same (with the
 * "Signing In" page) rather than waiting for it. */
static void
test_restart_shows_the_content_first (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("content");
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"count\": 1}", email);
  g_autofree char *thread_body = NULL;
  g_autofree char *messages_body = NULL;
  g_autoptr(JsonNode) stall = NULL;
  g_autoptr(JsonNode) reset = NULL;
  g_autoptr(JsonNode) messages = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("com.epsimoagents.Desktop");
  g_autofree char *project_id = NULL;
  g_autofree char *thread_id = NULL;
  guint balance_asks;

  sign_up (app, email);
  project_id = epsimo_test_server_seed_first_id (server, "seed-projects", body, "project_ids");
  thread_body = g_strdup_printf ("{\"project_id\": \"%s\", \"count\": 3}", project_id);
  thread_id = epsimo_test_server_seed_first_id (server, "seed-threads", thread_body,
                                                "thread_ids");
  messages_body = g_strdup_printf ("{\"thread_id\": \"%s\", \"count\": 6}", thread_id);
  messages = epsimo_test_server_control (server, "POST", "seed-messages", messages_body);
  stop_app (app);
  g_settings_set_string (settings, "last-project", project_id);
  g_settings_set_string (settings, "last-thread", thread_id);

  watch_first_map ();
  balance_asks = count_balance_asks ();
  app = epsimo_ui_test_start_app ();
  g_assert_true (epsimo_ui_test_wait_for (first_map_seen, NULL, 10000));
  g_assert_cmpstr (first_map.page, ==, "main");
  g_assert_false (first_map.projects_loading);
  g_assert_false (first_map.chat_loading);
  g_assert_cmpuint (first_map.threads, ==, 3);
  g_assert_cmpuint (first_map.transcript_items, ==, 6);

  /* The window's first focus asks nothing more: the resume asked the balance once, a
   * moment before (a request the focus made would reach the server well within the wait). */
  if (epsimo_ui_test_wait_for (main_window_active, NULL, 5000))
    {
      epsimo_ui_test_spin (500);
      g_assert_cmpuint (count_balance_asks () - balance_asks, ==, 1);
    }
  else
    g_test_message ("No window manager gives the focus here: the first focus not checked");
  stop_app (app);

  /* The projects do not answer: the window shows all the same, the list still loading. */
  stall = epsimo_test_server_control (server, "POST", "stall", "{\"path\": \"/projects/\"}");
  watch_first_map ();
  app = epsimo_ui_test_start_app ();
  g_assert_true (epsimo_ui_test_wait_for (first_map_seen, NULL, 5000));
  g_assert_true (first_map.projects_loading);
  reset = epsimo_test_server_control (server, "POST", "reset", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "main", 10000));

  /* The next test starts signed out. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));
  stop_app (app);
  g_clear_pointer (&first_map.page, g_free);
}

static EpsimoBalance *old_balance;

static gboolean
balance_is_fresh (gpointer data)
{
  EpsimoBalance *balance = epsimo_session_get_balance (data);

  return balance != NULL && balance != old_balance;
}

static void
test_expired_token_renewed_silently (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("renew");
  EpsimoSession *session;

  sign_up (app, email);
  session = epsimo_application_get_session (app);
  /* The first figures, fetched right after signing in, must be in before the tokens go. */
  old_balance = NULL;
  g_assert_true (epsimo_ui_test_wait_for (balance_is_fresh, session, 10000));

  /* Every token the server gave out stops working: the next call must renew by itself. */
  epsimo_test_server_expire_tokens (server);
  epsimo_test_server_clear_requests (server);
  old_balance = epsimo_session_get_balance (session);
  epsimo_session_refresh_balance (session);
  g_assert_true (epsimo_ui_test_wait_for (balance_is_fresh, session, 10000));
  /* One sign-in renewed the token, and the retried call got the fresh figures. */
  g_assert_cmpuint (count_logins (), ==, 1);
  g_assert_cmpstr (visible_page (), ==, "main");
  g_assert_true (epsimo_application_get_session (app) == session);

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000);
  stop_app (app);
}

static void
test_sign_out_forgets_secrets (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("forget");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  sign_up (app, email);
  /* The token is saved right after the password: wait for both. */
  for (guint i = 0; i < 100; i++)
    {
      g_free (before);
      before = keyring_lookup (email);
      if (strstr (before, "attribute.kind = token") != NULL)
        break;
      epsimo_ui_test_spin (50);
    }
  g_assert_nonnull (strstr (before, "attribute.kind = password"));
  g_assert_nonnull (strstr (before, "attribute.kind = token"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));
  for (guint i = 0; i < 100; i++)
    {
      g_free (after);
      after = keyring_lookup (email);
      if (strstr (after, email) == NULL)
        break;
      epsimo_ui_test_spin (50);
    }
  g_assert_null (strstr (after, email));
  stop_app (app);
}

static gboolean
main_stack_settled (gpointer data)
{
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (window (), EPSIMO_TYPE_WINDOW,
                                                                "main_stack"));

  return !gtk_stack_get_transition_running (GTK_STACK (stack));
}

/* Signing out from the account menu leaves the focus in the password field. (Under a real
 * pointer the closing popover gave the focus back to the menu's button, which went away
 * with the signed-in page: seen with xdotool, not reproduced by activating the button.) */
static void
test_sign_out_from_menu_focuses_password (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("menu");
  GtkWidget *menu;
  GtkWidget *popover;
  GtkWidget *sign_out;
  GtkWidget *focus;

  sign_up (app, email);
  menu = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_ACCOUNT_MENU, NULL);
  g_assert_nonnull (menu);
  gtk_menu_button_popup (GTK_MENU_BUTTON (gtk_widget_get_template_child (menu,
                                                                         EPSIMO_TYPE_ACCOUNT_MENU,
                                                                         "button")));
  epsimo_ui_test_spin (100);
  popover = GTK_WIDGET (gtk_widget_get_template_child (menu, EPSIMO_TYPE_ACCOUNT_MENU, "popover"));
  g_assert_true (gtk_widget_get_mapped (popover));
  sign_out = epsimo_ui_test_find_widget (popover, GTK_TYPE_BUTTON, "_Sign Out");
  g_assert_nonnull (sign_out);
  /* As a click does: the button takes the focus, then acts. */
  g_assert_true (gtk_widget_grab_focus (sign_out));
  gtk_widget_activate (sign_out);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));
  g_assert_true (epsimo_ui_test_wait_for (main_stack_settled, NULL, 5000));
  epsimo_ui_test_spin (100);

  focus = gtk_root_get_focus (GTK_ROOT (window ()));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, page_child ("password_row")));
  stop_app (app);
}

static void
test_stay_signed_in_off_stores_nothing (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("nostore");
  g_autofree char *stored = NULL;

  gtk_switch_set_active (GTK_SWITCH (page_child ("remember_switch")), FALSE);
  sign_up (app, email);
  epsimo_ui_test_spin (300);
  stored = keyring_lookup (email);
  g_assert_null (strstr (stored, email));
  stop_app (app);

  /* With nothing stored, the next start asks again, with the address filled in. */
  app = start_app ();
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 10000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child ("email_row"))), ==, email);
  gtk_switch_set_active (GTK_SWITCH (page_child ("remember_switch")), TRUE);
  stop_app (app);
}

static gboolean
lists_account (gpointer email)
{
  GtkWidget *menu = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_ACCOUNT_MENU, NULL);
  GtkWidget *list = GTK_WIDGET (gtk_widget_get_template_child (menu, EPSIMO_TYPE_ACCOUNT_MENU,
                                                               "accounts_list"));

  return epsimo_ui_test_find_widget (list, ADW_TYPE_ACTION_ROW, email) != NULL;
}

static gboolean
signed_in_as (gpointer email)
{
  EpsimoApplication *app = EPSIMO_APPLICATION (g_application_get_default ());
  EpsimoSession *session = epsimo_application_get_session (app);

  return session != NULL && g_strcmp0 (epsimo_session_get_email (session), email) == 0;
}

static void
test_two_accounts_switched (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *first = unique_email ("first");
  g_autofree char *second = unique_email ("second");
  g_autofree char *target = NULL;
  GtkWidget *menu;

  g_application_set_default (G_APPLICATION (app));
  sign_up (app, first);

  /* Adding an account goes through the sign-in page, which can be left. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "add-account", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));
  g_assert_true (gtk_widget_get_visible (page_child ("cancel_button")));
  g_signal_emit_by_name (page_child ("cancel_button"), "clicked");
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "main", 5000));
  g_action_group_activate_action (G_ACTION_GROUP (app), "add-account", NULL);
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000));
  sign_up (app, second);

  /* The menu offers the first account; choosing it switches without a restart. */
  menu = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_ACCOUNT_MENU, NULL);
  epsimo_account_menu_popup (EPSIMO_ACCOUNT_MENU (menu));
  g_assert_true (epsimo_ui_test_wait_for (lists_account, first, 5000));
  g_assert_false (lists_account (second));

  target = g_strdup_printf ("%s\t%s", epsimo_test_server_get_url (server), first);
  g_action_group_activate_action (G_ACTION_GROUP (app), "switch-account",
                                  g_variant_new_string (target));
  g_assert_true (epsimo_ui_test_wait_for (signed_in_as, first, 10000));
  g_assert_true (epsimo_ui_test_wait_for (page_is, (gpointer) "main", 5000));

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000);
  g_application_set_default (NULL);
  stop_app (app);
}

static void
assert_absent_in_tree (const char *dir,
                       const char *secret)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_absent_in_tree (path, secret);
          continue;
        }
      if (g_file_get_contents (path, &contents, &length, NULL)
          && memmem (contents, length, secret, strlen (secret)) != NULL)
        g_error ("A secret was written to %s", path);
    }
}

static void
assert_secret_absent (EpsimoApplication *app,
                      const char        *secret)
{
  GSettings *settings = epsimo_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_assert_null (strstr (log_text->str, secret));
  assert_absent_in_tree (g_get_home_dir (), secret);
  assert_absent_in_tree (g_get_user_config_dir (), secret);
  assert_absent_in_tree (g_get_user_data_dir (), secret);
  assert_absent_in_tree (g_get_user_cache_dir (), secret);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, secret));
    }
}

static void
test_no_secret_leaks (void)
{
  EpsimoApplication *app = start_app ();
  g_autofree char *email = unique_email ("leak");
  g_autofree char *first_token = NULL;
  g_autofree char *second_token = NULL;
  EpsimoSession *session;

  g_assert_cmpstr (g_getenv ("G_MESSAGES_DEBUG"), ==, "all");
  sign_up (app, email);
  session = epsimo_application_get_session (app);
  first_token = epsimo_client_dup_user_token (epsimo_session_get_client (session));

  /* A renewal too, so a second token goes through every path. */
  epsimo_test_server_expire_tokens (server);
  epsimo_session_refresh_balance (session);
  for (guint i = 0; i < 200; i++)
    {
      g_free (second_token);
      second_token = epsimo_client_dup_user_token (epsimo_session_get_client (session));
      if (g_strcmp0 (first_token, second_token) != 0)
        break;
      epsimo_ui_test_spin (50);
    }
  g_assert_cmpstr (first_token, !=, second_token);
  epsimo_ui_test_spin (300);

  /* The debug output did carry the flow (so the check below looks at something real). */
  g_assert_nonnull (strstr (log_text->str, "epsimo"));
  assert_secret_absent (app, PASSWORD);
  assert_secret_absent (app, first_token);
  assert_secret_absent (app, second_token);

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  epsimo_ui_test_wait_for (page_is, (gpointer) "sign-in", 5000);
  stop_app (app);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);

  epsimo_ui_test_init (&argc, &argv);
  if (g_getenv ("EPSIMO_TEST_SERVER") == NULL)
    {
      g_test_skip ("EPSIMO_TEST_SERVER is not set");
      return 77;
    }

  server = epsimo_test_server_start ("both", NULL);
  g_setenv ("EPSIMO_API_URL", epsimo_test_server_get_url (server), TRUE);

  g_test_add_func ("/accounts/sign-up-then-sign-in", test_sign_up_then_sign_in);
  g_test_add_func ("/accounts/wrong-password", test_wrong_password);
  g_test_add_func ("/accounts/unreachable-server", test_unreachable_server);
  g_test_add_func ("/accounts/restart-signs-in-silently", test_restart_signs_in_silently);
  g_test_add_func ("/accounts/restart-lists-threads-at-once", test_restart_lists_threads_at_once);
  g_test_add_func ("/accounts/restart-shows-the-content-first",
                   test_restart_shows_the_content_first);
  g_test_add_func ("/accounts/expired-token-renewed", test_expired_token_renewed_silently);
  g_test_add_func ("/accounts/sign-out-forgets-secrets", test_sign_out_forgets_secrets);
  g_test_add_func ("/accounts/sign-out-from-menu-focuses-password",
                   test_sign_out_from_menu_focuses_password);
  g_test_add_func ("/accounts/stay-signed-in-off", test_stay_signed_in_off_stores_nothing);
  g_test_add_func ("/accounts/two-accounts-switched", test_two_accounts_switched);
  g_test_add_func ("/accounts/no-secret-leaks", test_no_secret_leaks);

  status = g_test_run ();
  epsimo_test_server_stop (server);
  g_string_free (log_text, TRUE);
  return status;
}
