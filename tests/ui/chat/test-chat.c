/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chat page in a real window against epsimo-test-server, in both wire dialects:
 * sending and streaming, stopping, a cut stream and Retry, tool cards, a long history
 * paging in, notifications, and nothing lost when a send fails. */
#include "config.h"

#include <string.h>

#include <gtksourceview/gtksource.h>

#include "epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "epsimo-ui-test-session.h"
#include "chat/epsimo-chat-page-private.h"
#include "chat/epsimo-message-row.h"
#include "chat/epsimo-tool-card.h"
#include "widgets/epsimo-error-banner.h"

#define PASSWORD EPSIMO_UI_TEST_PASSWORD
#define TIMEOUT  20000

static EpsimoTestServer *live_server;
static EpsimoTestServer *reference_server;
static AdwApplication *app;
static EpsimoChatPage *shown_page;

typedef struct
{
  const char        *dialect;
  EpsimoTestServer  *server;
  char              *email;
  EpsimoSession     *session;
  EpsimoProject     *project;
  EpsimoAssistant   *assistant;
  GtkWidget         *window;
  EpsimoChatPage    *page;
  GSimpleActionGroup *win_actions;
  guint              buy_credits;
  guint              state_signals;
  JsonObject        *last_state;
  EpsimoChatItemState expected_state;
} Fixture;

/* Notifications handed to the test hook */

typedef struct
{
  char     *id;
  char     *action;
  GVariant *target;
} SentNotification;

static GPtrArray *notifications;

static void
sent_notification_free (SentNotification *sent)
{
  g_free (sent->id);
  g_free (sent->action);
  g_variant_unref (sent->target);
  g_free (sent);
}

static void
record_notification (GApplication  *application,
                     const char    *id,
                     GNotification *notification,
                     const char    *default_action,
                     GVariant      *target,
                     gpointer       user_data)
{
  SentNotification *sent = g_new0 (SentNotification, 1);

  g_assert_true (application == G_APPLICATION (app));
  sent->id = g_strdup (id);
  sent->action = g_strdup (default_action);
  sent->target = g_variant_ref (target);
  g_ptr_array_add (notifications, sent);
}

/* What the application does with the notification's action. */
static void
open_thread_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (parameter, NULL), "\t", 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  g_assert_cmpstr (parts[0], ==,
                   epsimo_project_get_id (epsimo_chat_page_get_project (shown_page)));
  epsimo_chat_page_select_thread (shown_page, parts[1]);
}

/* Fixture */

static GAsyncResult *
await (GAsyncResult **slot)
{
  return epsimo_test_await (slot);
}

static void
win_toast (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  g_test_message ("toast: %s", g_variant_get_string (parameter, NULL));
}

static void
win_buy_credits (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  Fixture *f = user_data;

  f->buy_credits++;
}

static void
on_state_changed (EpsimoChatPage *page,
                  JsonObject     *values,
                  const char     *thread_id,
                  Fixture        *f)
{
  f->state_signals++;
  g_clear_pointer (&f->last_state, json_object_unref);
  if (values != NULL)
    f->last_state = json_object_ref (values);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  f->dialect = data;
  f->server = g_str_equal (f->dialect, "live") ? live_server : reference_server;
  epsimo_test_server_reset (f->server);
  epsimo_test_server_clear_requests (f->server);

  f->email = g_strdup_printf ("chat.%u.%u@example.test", (guint) getpid (), ++counter);
  f->session = epsimo_ui_test_sign_up (f->server, f->email);

  f->project = epsimo_ui_test_create_project (f->session, "Chat");
  f->assistant = epsimo_ui_test_create_assistant (f->session, f->project, "Helper");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  epsimo_ui_test_spin (50);
  shown_page = NULL;
  g_clear_object (&f->win_actions);
  g_clear_pointer (&f->last_state, json_object_unref);
  g_clear_object (&f->assistant);
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  g_free (f->email);
  g_ptr_array_set_size (notifications, 0);
}

static gboolean
threads_loaded (gpointer data)
{
  Fixture *f = data;
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                              EPSIMO_TYPE_CHAT_PAGE,
                                                              "threads_stack"));
  const char *name = gtk_stack_get_visible_child_name (stack);

  return g_strcmp0 (name, "list") == 0 || g_strcmp0 (name, "empty") == 0;
}

static void
open_page (Fixture *f)
{
  const GActionEntry entries[] = {
    { .name = "toast", .activate = win_toast, .parameter_type = "s" },
    { .name = "buy-credits", .activate = win_buy_credits },
  };

  f->window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  f->page = EPSIMO_CHAT_PAGE (epsimo_chat_page_new ());
  shown_page = f->page;
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (f->window), GTK_WIDGET (f->page));

  f->win_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (f->win_actions), entries,
                                   G_N_ELEMENTS (entries), f);
  gtk_widget_insert_action_group (f->window, "win", G_ACTION_GROUP (f->win_actions));
  g_signal_connect (f->page, "state-changed", G_CALLBACK (on_state_changed), f);

  g_object_set (f->page, "session", f->session, "project", f->project, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (epsimo_ui_test_wait_for (threads_loaded, f, TIMEOUT));
}

static EpsimoThread *
create_thread (Fixture    *f,
               const char *name)
{
  g_autoptr(EpsimoThread) thread = epsimo_thread_new (name,
                                                      epsimo_assistant_get_id (f->assistant));
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  EpsimoThread *created;

  epsimo_threads_service_create_async (epsimo_session_get_threads (f->session),
                                       epsimo_project_get_id (f->project), thread, NULL,
                                       epsimo_test_async_cb, &result);
  done = await (&result);
  created = epsimo_threads_service_create_finish (epsimo_session_get_threads (f->session),
                                                  done, &error);
  g_assert_no_error (error);
  return created;
}

static EpsimoChatConversation *
conversation (Fixture *f)
{
  return epsimo_chat_page_get_conversation (f->page);
}

static gboolean
conversation_loaded (gpointer data)
{
  Fixture *f = data;

  return conversation (f) != NULL && epsimo_chat_conversation_get_loaded (conversation (f));
}

static void
open_thread (Fixture      *f,
             EpsimoThread *thread)
{
  epsimo_chat_page_select_thread (f->page, epsimo_thread_get_id (thread));
  g_assert_true (epsimo_chat_page_get_thread (f->page) == thread
                 || g_strcmp0 (epsimo_thread_get_id (epsimo_chat_page_get_thread (f->page)),
                               epsimo_thread_get_id (thread)) == 0);
  g_assert_true (epsimo_ui_test_wait_for (conversation_loaded, f, TIMEOUT));
}

static GtkWidget *
composer_child (Fixture    *f,
                const char *name)
{
  GtkWidget *composer = GTK_WIDGET (epsimo_chat_page_get_composer (f->page));

  return GTK_WIDGET (gtk_widget_get_template_child (composer, EPSIMO_TYPE_COMPOSER, name));
}

/* Which of Send, Stop or the sending spinner the composer shows. */
static const char *
composer_button (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (composer_child (f, "button_stack")));
}

static gboolean
dialog_shown (gpointer data)
{
  return epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* The page's message dialog, once it is up (New Thread waits for the assistants). */
static GtkWidget *
wait_dialog (void)
{
  g_assert_true (epsimo_ui_test_wait_for (dialog_shown, NULL, TIMEOUT));
  return epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static void
type_and_send (Fixture    *f,
               const char *text)
{
  GtkWidget *send = composer_child (f, "send_button");

  epsimo_composer_set_text (epsimo_chat_page_get_composer (f->page), text);
  g_assert_true (gtk_widget_is_sensitive (send));
  g_signal_emit_by_name (send, "clicked");
}

static char *
composer_text (Fixture *f)
{
  return epsimo_composer_dup_text (epsimo_chat_page_get_composer (f->page));
}

static guint
n_items (Fixture *f)
{
  return g_list_model_get_n_items (epsimo_chat_conversation_get_items (conversation (f)));
}

static EpsimoChatItem *
item_at (Fixture *f,
         guint    position)
{
  g_autoptr(EpsimoChatItem) item =
    g_list_model_get_item (epsimo_chat_conversation_get_items (conversation (f)), position);

  return item; /* the store keeps it */
}

static EpsimoChatItem *
last_reply (Fixture *f)
{
  return conversation (f) != NULL ? epsimo_chat_conversation_get_last_reply (conversation (f))
                                  : NULL;
}

static gboolean
reply_in_state (gpointer data)
{
  Fixture *f = data;
  EpsimoChatItem *reply = last_reply (f);

  return reply != NULL && epsimo_chat_item_get_state (reply) == f->expected_state;
}

static void
wait_reply (Fixture             *f,
            EpsimoChatItemState  state)
{
  f->expected_state = state;
  g_assert_true (epsimo_ui_test_wait_for (reply_in_state, f, TIMEOUT));
}

static gboolean
reply_has_text (gpointer data)
{
  EpsimoChatItem *reply = last_reply (data);

  return reply != NULL && *epsimo_chat_item_get_text (reply) != '\0';
}

/* What the server stored as the thread's last assistant message. */
static char *
server_last_reply (Fixture      *f,
                   EpsimoThread *thread)
{
  EpsimoThreadsService *threads = epsimo_session_get_threads (f->session);
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  epsimo_threads_service_get_messages_async (threads, epsimo_project_get_id (f->project),
                                             epsimo_thread_get_id (thread), 0, NULL, NULL,
                                             epsimo_test_async_cb, &result);
  done = await (&result);
  messages = epsimo_threads_service_get_messages_finish (threads, done, NULL, &error);
  g_assert_no_error (error);

  for (guint i = messages->len; i > 0; i--)
    {
      EpsimoMessage *message = g_ptr_array_index (messages, i - 1);

      if (epsimo_message_get_role (message) == EPSIMO_MESSAGE_ROLE_ASSISTANT
          && *epsimo_message_get_content (message) != '\0')
        return g_strdup (epsimo_message_get_content (message));
    }
  return NULL;
}

static EpsimoMessageRow *
find_row (GtkWidget      *root,
          EpsimoChatItem *item)
{
  if (EPSIMO_IS_MESSAGE_ROW (root)
      && epsimo_message_row_get_item (EPSIMO_MESSAGE_ROW (root)) == item)
    return EPSIMO_MESSAGE_ROW (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      EpsimoMessageRow *row = find_row (child, item);

      if (row != NULL)
        return row;
    }
  return NULL;
}

typedef struct
{
  Fixture        *f;
  EpsimoChatItem *item;
  const char     *text;
} RowText;

static char *
row_text (EpsimoMessageRow *row)
{
  g_autoptr(GPtrArray) texts = epsimo_ui_test_collect_texts (GTK_WIDGET (row));

  g_ptr_array_add (texts, NULL);
  return g_strjoinv ("\n", (char **) texts->pdata);
}

/* The item's row is on screen and shows @text. */
static gboolean
row_shows (gpointer data)
{
  RowText *wanted = data;
  EpsimoMessageRow *row = find_row (wanted->f->window, wanted->item);
  g_autofree char *text = NULL;

  if (row == NULL || !gtk_widget_get_mapped (GTK_WIDGET (row)))
    return FALSE;
  text = row_text (row);
  return strstr (text, wanted->text) != NULL;
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint count = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    count++;
  return count;
}

static JsonArray *
requests (Fixture *f)
{
  return epsimo_test_server_get_requests (f->server);
}

static const char *
run_path (Fixture      *f,
          EpsimoThread *thread)
{
  static char path[256];

  if (g_str_equal (f->dialect, "live"))
    return "/runs/stream";
  g_snprintf (path, sizeof path, "/threads/%s/run", epsimo_thread_get_id (thread));
  return path;
}

/* Tests */

/* A new thread from the composer: its name comes from the first message, the reply
 * streams in, and the whole scripted reply is on screen exactly once. */
/* The row's content (its one child, asked directly: the row's own answer is what is being
 * checked) fits the height the row was given at its width. */
static gboolean
row_fits (gpointer data)
{
  GtkWidget *row = data;
  GtkWidget *content = gtk_widget_get_first_child (row);
  int minimum;

  gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (row), &minimum,
                      NULL, NULL, NULL);
  if (gtk_widget_get_height (row) < minimum)
    g_test_message ("row %d px high, its content %d px", gtk_widget_get_height (row), minimum);
  return gtk_widget_get_height (row) >= minimum;
}

static void
test_send_and_stream (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *dialog;
  EpsimoChatItem *reply;
  EpsimoMessageRow *row;
  EpsimoThread *thread;
  g_autofree char *expected = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *typed = NULL;
  g_autoptr(JsonArray) log = NULL;
  RowText wanted;

  open_page (f);

  gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.new-thread", NULL);
  dialog = wait_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "start");
  epsimo_ui_test_spin (50);

  /* Blanks are not a message. */
  epsimo_composer_set_text (epsimo_chat_page_get_composer (f->page), "  \n ");
  g_assert_false (gtk_widget_is_sensitive (composer_child (f, "send_button")));

  type_and_send (f, "hello there");
  wait_reply (f, EPSIMO_CHAT_ITEM_COMPLETE);

  thread = epsimo_chat_page_get_thread (f->page);
  g_assert_nonnull (thread);
  g_assert_cmpstr (epsimo_thread_get_name (thread), ==, "hello there");
  typed = composer_text (f);
  g_assert_cmpstr (typed, ==, "");

  /* One user turn, one reply, and the reply is what the server stored. */
  g_assert_cmpuint (n_items (f), ==, 2);
  g_assert_cmpint (epsimo_chat_item_get_kind (item_at (f, 0)), ==, EPSIMO_CHAT_ITEM_USER);
  g_assert_cmpstr (epsimo_chat_item_get_text (item_at (f, 0)), ==, "hello there");
  reply = last_reply (f);
  expected = server_last_reply (f, thread);
  g_assert_cmpstr (epsimo_chat_item_get_text (reply), ==, expected);

  wanted = (RowText) { f, reply, "Read more in the Epsimo documentation." };
  g_assert_true (epsimo_ui_test_wait_for (row_shows, &wanted, TIMEOUT));
  row = find_row (f->window, reply);
  /* Nothing of it is cut off: the row has the height its content asks for. */
  g_assert_true (epsimo_ui_test_wait_for (row_fits, row, TIMEOUT));
  shown = row_text (row);
  g_assert_cmpuint (count_occurrences (shown, "You said: hello there"), ==, 1);
  g_assert_cmpuint (count_occurrences (shown, "Echo"), ==, 1);
  g_assert_cmpuint (count_occurrences (shown, "a list item with code"), ==, 1);
  {
    GtkWidget *code = epsimo_ui_test_find_widget (GTK_WIDGET (row), GTK_SOURCE_TYPE_VIEW, NULL);
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (code));
    GtkTextIter start, end;
    g_autofree char *code_text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    code_text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpuint (count_occurrences (code_text, "def echo(message):"), ==, 1);
  }

  /* The thread was made with the first message as its name, then run once. */
  log = requests (f);
  {
    JsonObject *create = epsimo_test_find_request (log, "POST", "/threads/");
    g_autoptr(JsonObject) body = NULL;

    if (create == NULL)
      create = epsimo_test_find_request (log, "POST", "/threads");
    g_assert_nonnull (create);
    body = epsimo_test_request_body (create);
    g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "hello there");
  }
  g_assert_cmpuint (epsimo_test_count_requests (log, "POST", run_path (f, thread)), ==, 1);
}

/* Stop cancels the run: the partial reply stays, marked stopped, and the server is told. */
static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Long one");
  g_autoptr(JsonNode) answer = NULL;
  EpsimoChatItem *reply;
  g_autofree char *text_at_stop = NULL;
  RowText wanted;

  open_page (f);
  open_thread (f, thread);
  answer = epsimo_test_server_control (f->server, "POST", "next-reply",
                                       "{\"bytes\": 400000, \"pieces\": 8000}");

  type_and_send (f, "tell me everything");
  g_assert_true (epsimo_ui_test_wait_for (reply_has_text, f, TIMEOUT));
  g_assert_true (epsimo_chat_conversation_get_running (conversation (f)));
  g_assert_cmpstr (composer_button (f), ==, "stop");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.stop", NULL);
  reply = last_reply (f);
  g_assert_cmpint (epsimo_chat_item_get_state (reply), ==, EPSIMO_CHAT_ITEM_STOPPED);
  g_assert_false (epsimo_chat_conversation_get_running (conversation (f)));
  text_at_stop = g_strdup (epsimo_chat_item_get_text (reply));
  g_assert_cmpuint (strlen (text_at_stop), <, 400000);

  /* Nothing more arrives, and the row says why the reply ends there. */
  epsimo_ui_test_spin (300);
  g_assert_cmpstr (epsimo_chat_item_get_text (reply), ==, text_at_stop);
  wanted = (RowText) { f, reply, "You stopped this reply." };
  g_assert_true (epsimo_ui_test_wait_for (row_shows, &wanted, TIMEOUT));

  {
    g_autoptr(JsonArray) log = requests (f);
    const char *cancel = g_str_equal (f->dialect, "live") ? "/runs/*/cancel"
                                                          : "/threads/*/runs/*/cancel";

    g_assert_cmpuint (epsimo_test_count_requests (log, "POST", cancel), ==, 1);
  }

  /* The composer is ready for the next message. */
  g_assert_cmpstr (composer_button (f), ==, "send");
  type_and_send (f, "short now");
  wait_reply (f, EPSIMO_CHAT_ITEM_COMPLETE);
}

/* A stream cut by the server leaves the partial reply, marked incomplete with Retry, until
 * Retry replaces it with the whole reply. */
static void
test_cut_then_retry (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Cut");
  g_autofree char *partial = NULL;
  g_autofree char *expected = NULL;
  EpsimoChatItem *reply;
  EpsimoMessageRow *row;
  GtkWidget *retry_button;
  RowText wanted;

  open_page (f);
  open_thread (f, thread);
  epsimo_test_server_cut (f->server, 12);

  type_and_send (f, "cut me");
  wait_reply (f, EPSIMO_CHAT_ITEM_INCOMPLETE);
  reply = last_reply (f);
  partial = g_strdup (epsimo_chat_item_get_text (reply));
  g_assert_cmpstr (partial, !=, "");
  g_assert_true (epsimo_chat_item_get_retryable (reply));

  wanted = (RowText) { f, reply, "This reply is incomplete." };
  g_assert_true (epsimo_ui_test_wait_for (row_shows, &wanted, TIMEOUT));
  row = find_row (f->window, reply);
  retry_button = epsimo_ui_test_find_widget (GTK_WIDGET (row), GTK_TYPE_BUTTON, "_Retry");
  g_assert_nonnull (retry_button);
  g_assert_true (gtk_widget_get_visible (retry_button));

  /* The partial text stays while the retry starts. */
  g_signal_emit_by_name (retry_button, "clicked");
  g_assert_cmpstr (epsimo_chat_item_get_text (reply), ==, partial);
  wait_reply (f, EPSIMO_CHAT_ITEM_COMPLETE);

  /* Replaced, not added: one user turn and one reply, the whole scripted text. */
  g_assert_true (last_reply (f) == reply);
  g_assert_cmpuint (n_items (f), ==, 2);
  expected = server_last_reply (f, thread);
  g_assert_cmpstr (epsimo_chat_item_get_text (reply), ==, expected);
  g_assert_false (epsimo_chat_item_get_retryable (reply));
  wanted = (RowText) { f, reply, "Read more in the Epsimo documentation." };
  g_assert_true (epsimo_ui_test_wait_for (row_shows, &wanted, TIMEOUT));
  {
    g_autofree char *shown = row_text (find_row (f->window, reply));

    g_assert_cmpuint (count_occurrences (shown, "You said: cut me"), ==, 1);
    g_assert_null (strstr (shown, "incomplete"));
  }
}

static char *
source_view_text (GtkWidget *root)
{
  GtkWidget *view = epsimo_ui_test_find_widget (root, GTK_SOURCE_TYPE_VIEW, NULL);
  GtkTextIter start, end;
  GtkTextBuffer *buffer;

  g_assert_nonnull (view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A tool call is a card in the assistant's turn: name, status, and (once opened) the
 * arguments and the result. The state change reaches the page's listeners. */
static void
test_tool_card (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Tools");
  g_autoptr(EpsimoToolCall) call = NULL;
  EpsimoChatItem *reply;
  EpsimoMessageRow *row;
  GtkWidget *card;
  GtkWidget *header;
  GtkWidget *revealer;
  g_autofree char *arguments = NULL;
  g_autofree char *result = NULL;
  g_autofree char *shown = NULL;
  RowText wanted;

  open_page (f);
  open_thread (f, thread);

  type_and_send (f, "remember color = \"blue\"");
  wait_reply (f, EPSIMO_CHAT_ITEM_COMPLETE);
  reply = last_reply (f);
  g_assert_cmpuint (g_list_model_get_n_items (epsimo_chat_item_get_tool_calls (reply)), ==, 1);
  call = g_list_model_get_item (epsimo_chat_item_get_tool_calls (reply), 0);
  g_assert_cmpstr (epsimo_tool_call_get_name (call), ==, "update_database");
  g_assert_cmpint (epsimo_tool_call_get_status (call), ==, EPSIMO_TOOL_CALL_DONE);

  wanted = (RowText) { f, reply, "update_database" };
  g_assert_true (epsimo_ui_test_wait_for (row_shows, &wanted, TIMEOUT));
  row = find_row (f->window, reply);
  card = epsimo_ui_test_find_widget (GTK_WIDGET (row), EPSIMO_TYPE_TOOL_CARD, NULL);
  g_assert_nonnull (card);
  g_assert_nonnull (epsimo_ui_test_find_widget (card, GTK_TYPE_LABEL, "Done"));
  shown = row_text (row);
  g_assert_nonnull (strstr (shown, "key: \"color\""));

  /* Collapsed by default; opened, it shows both sides as JSON. */
  revealer = epsimo_ui_test_find_widget (card, GTK_TYPE_REVEALER, NULL);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  header = GTK_WIDGET (gtk_widget_get_template_child (card, EPSIMO_TYPE_TOOL_CARD,
                                                      "header_button"));
  g_signal_emit_by_name (header, "clicked");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  arguments = source_view_text (GTK_WIDGET (gtk_widget_get_template_child (
                                  card, EPSIMO_TYPE_TOOL_CARD, "arguments_bin")));
  result = source_view_text (GTK_WIDGET (gtk_widget_get_template_child (
                               card, EPSIMO_TYPE_TOOL_CARD, "result_bin")));
  g_assert_nonnull (strstr (arguments, "\"key\" : \"color\""));
  g_assert_nonnull (strstr (arguments, "\"value\" : \"blue\""));
  g_assert_nonnull (strstr (result, "\"success\" : true"));

  /* The text after the call is in the same turn. */
  g_assert_nonnull (strstr (epsimo_chat_item_get_text (reply), "I saved **color**"));
  g_assert_cmpuint (n_items (f), ==, 2);

  /* The database panel hears about it: the state itself (live) or "fetch it" (reference). */
  g_assert_cmpuint (f->state_signals, >=, 1);
  if (g_str_equal (f->dialect, "live"))
    {
      g_assert_nonnull (f->last_state);
      g_assert_cmpstr (json_object_get_string_member (f->last_state, "color"), ==, "blue");
      g_assert_false (json_object_has_member (f->last_state, "messages"));
    }
  else
    g_assert_null (f->last_state);

  /* Reopened later, the history gives the same card with its result. */
  {
    g_autoptr(EpsimoChatConversation) again =
      epsimo_chat_conversation_new (f->session, epsimo_project_get_id (f->project), thread,
                                    NULL, FALSE);
    GListModel *items = epsimo_chat_conversation_get_items (again);
    g_autoptr(EpsimoChatItem) turn = NULL;
    g_autoptr(EpsimoToolCall) stored = NULL;

    epsimo_chat_conversation_load (again);
    while (!epsimo_chat_conversation_get_loaded (again))
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
    turn = g_list_model_get_item (items, 1);
    g_assert_cmpuint (g_list_model_get_n_items (epsimo_chat_item_get_tool_calls (turn)), ==, 1);
    stored = g_list_model_get_item (epsimo_chat_item_get_tool_calls (turn), 0);
    g_assert_nonnull (strstr (epsimo_tool_call_get_result (stored), "success"));
    g_assert_nonnull (strstr (epsimo_chat_item_get_text (turn), "I saved **color**"));
    epsimo_chat_conversation_close (again);
  }
}

typedef struct
{
  Fixture *f;
  guint    count;
} MoreThan;

static gboolean
more_items_than (gpointer data)
{
  MoreThan *more = data;

  return n_items (more->f) > more->count;
}

static gboolean
at_bottom_showing_last (gpointer data)
{
  Fixture *f = data;
  EpsimoTranscriptView *view = epsimo_chat_page_get_transcript (f->page);
  GtkWidget *list = epsimo_transcript_view_get_list_view (view);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  EpsimoMessageRow *row = find_row (list, item_at (f, n_items (f) - 1));
  double bottom = gtk_adjustment_get_upper (adjustment)
                  - gtk_adjustment_get_page_size (adjustment);

  return row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row)) && bottom > 0
         && gtk_adjustment_get_value (adjustment) >= bottom;
}

static gboolean
older_page_requested (gpointer data)
{
  Fixture *f = data;
  g_autoptr(JsonArray) log = requests (f);

  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *request = json_array_get_object_element (log, i);
      const char *query = json_object_get_string_member_with_default (request, "query", "");

      if (g_str_has_suffix (json_object_get_string_member (request, "path"), "/messages")
          && strstr (query, "before=") != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
scrolled_from_top (gpointer data)
{
  Fixture *f = data;
  GtkWidget *list =
    epsimo_transcript_view_get_list_view (epsimo_chat_page_get_transcript (f->page));

  return gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list))) > 0;
}

static void
scroll_to_top (Fixture *f)
{
  EpsimoTranscriptView *view = epsimo_chat_page_get_transcript (f->page);
  GtkWidget *list = epsimo_transcript_view_get_list_view (view);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));

  /* As the user would: leaving the bottom stops following the newest message. */
  epsimo_transcript_view_set_pinned (view, FALSE);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

/* The first item that is a message fetched (the items before it stand for older ones). */
static guint
first_fetched (Fixture *f)
{
  guint n = n_items (f);

  for (guint i = 0; i < n; i++)
    if (!epsimo_chat_item_get_placeholder (item_at (f, i)))
      return i;
  return n;
}

static gboolean
oldest_shown (gpointer data)
{
  Fixture *f = data;
  GtkWidget *list =
    epsimo_transcript_view_get_list_view (epsimo_chat_page_get_transcript (f->page));
  EpsimoMessageRow *row;

  if (first_fetched (f) != 0)
    return FALSE;
  row = find_row (list, item_at (f, 0));
  return row != NULL && epsimo_message_row_get_realized (row)
         && gtk_widget_get_mapped (GTK_WIDGET (row));
}

/* Live: the state tells how many messages there are, so the transcript holds one item for
 * each from the start, the newest filled, the others filled in place as the user scrolls
 * up: nothing is ever put before what is shown (the scrollbar stays where it is). */
static void
history_fills_in (Fixture *f)
{
  guint first = first_fetched (f);

  g_assert_cmpuint (n_items (f), ==, 1000);
  g_assert_cmpuint (first, >=, 700);
  g_assert_cmpuint (first, <=, 950);
  g_assert_true (epsimo_chat_item_get_placeholder (item_at (f, 0)));
  g_assert_true (g_str_has_prefix (epsimo_chat_item_get_text (item_at (f, 999)),
                                   "Message 1000."));
  g_assert_true (epsimo_chat_conversation_get_has_older (conversation (f)));

  /* It opens at the bottom, the newest message on screen. */
  g_assert_true (epsimo_ui_test_wait_for (at_bottom_showing_last, f, TIMEOUT));
  g_assert_true (epsimo_transcript_view_get_pinned (epsimo_chat_page_get_transcript (f->page)));

  /* At the top, the oldest message comes to be shown where it always was. */
  scroll_to_top (f);
  g_assert_true (epsimo_ui_test_wait_for (oldest_shown, f, TIMEOUT));
  g_assert_cmpuint (n_items (f), ==, 1000);
  for (guint i = 0; i < 1000; i += 111)
    {
      g_autofree char *expected = g_strdup_printf ("Message %u.", i + 1);

      g_assert_true (g_str_has_prefix (epsimo_chat_item_get_text (item_at (f, i)), expected));
    }
  g_assert_false (epsimo_chat_conversation_get_has_older (conversation (f)));
}

/* A 1,000-message thread opens at its newest messages, a few hundred of them, and older
 * pages come in when the user scrolls to the top. */
static void
test_history_pages_in (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Long history");
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  MoreThan more = { f, 0 };
  guint first;

  body = g_strdup_printf ("{\"thread_id\": \"%s\", \"count\": 1000}",
                          epsimo_thread_get_id (thread));
  answer = epsimo_test_server_control (f->server, "POST", "seed-messages", body);

  open_page (f);
  epsimo_test_server_clear_requests (f->server);
  open_thread (f, thread);
  if (g_str_equal (f->dialect, "live"))
    {
      history_fills_in (f);
      return;
    }

  first = n_items (f);
  g_assert_cmpuint (first, >=, 50);
  g_assert_cmpuint (first, <=, 300);
  g_assert_cmpstr (epsimo_chat_item_get_text (item_at (f, first - 1)), !=, "");
  g_assert_true (g_str_has_prefix (epsimo_chat_item_get_text (item_at (f, first - 1)),
                                   "Message 1000."));
  g_assert_true (epsimo_chat_conversation_get_has_older (conversation (f)));

  /* It opens at the bottom, the newest message on screen. */
  g_assert_true (epsimo_ui_test_wait_for (at_bottom_showing_last, f, TIMEOUT));
  g_assert_true (epsimo_transcript_view_get_pinned (epsimo_chat_page_get_transcript (f->page)));

  scroll_to_top (f);
  more.count = first;
  g_assert_true (epsimo_ui_test_wait_for (more_items_than, &more, TIMEOUT));
  g_assert_true (older_page_requested (f));

  /* The page came in before what was shown, in order. */
  {
    guint now = n_items (f);
    guint added = now - first;
    g_autofree char *expected = g_strdup_printf ("Message %u.", 1000 - first + 1);

    g_assert_true (g_str_has_prefix (epsimo_chat_item_get_text (item_at (f, added)), expected));
  }

  /* What was on screen stays there: the view is not left at the top of the new page. */
  g_assert_true (epsimo_ui_test_wait_for (scrolled_from_top, f, TIMEOUT));

  /* And again further up. */
  more.count = n_items (f);
  scroll_to_top (f);
  g_assert_true (epsimo_ui_test_wait_for (more_items_than, &more, TIMEOUT));
}

static GtkAdjustment *
transcript_adjustment (Fixture *f)
{
  GtkWidget *list =
    epsimo_transcript_view_get_list_view (epsimo_chat_page_get_transcript (f->page));

  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
}

static gboolean
reply_streaming_at_bottom (gpointer data)
{
  Fixture *f = data;
  GtkAdjustment *adjustment = transcript_adjustment (f);
  EpsimoChatItem *reply = last_reply (f);

  return reply != NULL && epsimo_chat_item_get_state (reply) == EPSIMO_CHAT_ITEM_STREAMING
         && strlen (epsimo_chat_item_get_text (reply)) > 2000
         && gtk_adjustment_get_value (adjustment)
            >= gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
}

static gboolean
at_bottom (gpointer data)
{
  GtkAdjustment *adjustment = transcript_adjustment (data);

  return gtk_adjustment_get_value (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
}

/* The view follows a reply only while it is at the bottom; scrolled up, it stays put and
 * offers "Jump to Latest" instead. */
/* Where the row of @item is on screen (its top, in the list's coordinates); -1 when it is
 * not shown. */
static double
row_top (Fixture        *f,
         EpsimoChatItem *item)
{
  GtkWidget *list =
    epsimo_transcript_view_get_list_view (epsimo_chat_page_get_transcript (f->page));
  EpsimoMessageRow *row = find_row (list, item);
  graphene_rect_t bounds;

  if (row == NULL || !epsimo_message_row_get_realized (row)
      || !gtk_widget_compute_bounds (GTK_WIDGET (row), list, &bounds))
    return -1;
  return bounds.origin.y;
}

/* The item whose row crosses the middle of the screen, and where its top is. */
static EpsimoChatItem *
item_in_middle (Fixture *f,
                double  *top)
{
  GtkWidget *list =
    epsimo_transcript_view_get_list_view (epsimo_chat_page_get_transcript (f->page));
  double middle = gtk_widget_get_height (list) / 2.0;

  for (guint i = 0; i < n_items (f); i++)
    {
      EpsimoChatItem *item = item_at (f, i);
      EpsimoMessageRow *row = find_row (list, item);
      graphene_rect_t bounds;

      if (row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row))
          && gtk_widget_compute_bounds (GTK_WIDGET (row), list, &bounds)
          && bounds.origin.y <= middle && bounds.origin.y + bounds.size.height > middle)
        {
          *top = bounds.origin.y;
          return item;
        }
    }
  return NULL;
}

static void
test_scroll_follows_only_at_bottom (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Scrolling");
  g_autofree char *body = g_strdup_printf ("{\"thread_id\": \"%s\", \"count\": 60}",
                                           epsimo_thread_get_id (thread));
  g_autoptr(JsonNode) seeded = epsimo_test_server_control (f->server, "POST", "seed-messages",
                                                           body);
  g_autoptr(JsonNode) next = NULL;
  EpsimoTranscriptView *view;
  GtkRevealer *jump;
  GtkAdjustment *adjustment;
  EpsimoChatItem *shown;
  double kept = -1;

  open_page (f);
  open_thread (f, thread);
  view = epsimo_chat_page_get_transcript (f->page);
  jump = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                      EPSIMO_TYPE_TRANSCRIPT_VIEW,
                                                      "jump_revealer"));
  adjustment = transcript_adjustment (f);
  g_assert_true (epsimo_ui_test_wait_for (at_bottom_showing_last, f, TIMEOUT));

  /* At the bottom, the growing reply is followed. */
  next = epsimo_test_server_control (f->server, "POST", "next-reply",
                                     "{\"bytes\": 6000, \"pieces\": 300}");
  type_and_send (f, "a long answer please");
  g_assert_true (epsimo_ui_test_wait_for (reply_streaming_at_bottom, f, TIMEOUT));
  wait_reply (f, EPSIMO_CHAT_ITEM_COMPLETE);
  g_assert_true (epsimo_ui_test_wait_for (at_bottom, f, TIMEOUT));
  g_assert_false (gtk_revealer_get_reveal_child (jump));

  /* Scrolled up, the next reply does not move the view. */
  g_clear_pointer (&next, json_node_unref);
  next = epsimo_test_server_control (f->server, "POST", "next-reply",
                                     "{\"bytes\": 6000, \"pieces\": 300}");
  epsimo_transcript_view_set_pinned (view, FALSE);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2);
  epsimo_ui_test_spin (100);
  shown = item_in_middle (f, &kept);
  g_assert_nonnull (shown);
  g_assert_true (gtk_revealer_get_reveal_child (jump));
  type_and_send (f, "another long one");
  wait_reply (f, EPSIMO_CHAT_ITEM_COMPLETE);
  epsimo_ui_test_spin (100);
  /* The message that was in the middle of the screen is still there, to the pixel (the
   * list's value may change as rows off screen are laid out, the view does not). */
  g_assert_cmpfloat (row_top (f, shown), ==, kept);
  g_assert_false (epsimo_transcript_view_get_pinned (view));
  g_assert_true (gtk_revealer_get_reveal_child (jump));

  /* Jump to Latest goes down and follows again. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.jump-to-latest", NULL);
  g_assert_true (epsimo_ui_test_wait_for (at_bottom_showing_last, f, TIMEOUT));
  g_assert_true (epsimo_transcript_view_get_pinned (view));
  g_assert_false (gtk_revealer_get_reveal_child (jump));
}

static const char *
threads_page (Fixture *f)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                              EPSIMO_TYPE_CHAT_PAGE,
                                                              "threads_stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static guint
threads_shown (Fixture *f)
{
  GtkListView *list = GTK_LIST_VIEW (epsimo_chat_page_get_threads_view (f->page));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list)));
}

static gboolean
thread_gone (gpointer data)
{
  Fixture *f = data;

  return threads_shown (f) == 2;
}

/* Threads are searched by name, and deleted after a confirmation. */
static void
test_search_and_delete (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(EpsimoThread) alpha = create_thread (f, "Alpha plans");
  g_autoptr(EpsimoThread) beta = create_thread (f, "Beta release");
  g_autoptr(EpsimoThread) gamma = create_thread (f, "Gamma notes");
  g_autofree char *path = g_strdup_printf ("/threads/%s", epsimo_thread_get_id (beta));
  GtkEditable *search;
  GtkWidget *dialog;
  g_autoptr(JsonArray) log = NULL;

  open_page (f);
  g_assert_cmpuint (threads_shown (f), ==, 3);

  search = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                        EPSIMO_TYPE_CHAT_PAGE, "search_entry"));
  gtk_editable_set_text (search, "beta");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (threads_shown (f), ==, 1);
  gtk_editable_set_text (search, "nothing like it");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (threads_shown (f), ==, 0);
  g_assert_cmpstr (threads_page (f), ==, "no-match");
  gtk_editable_set_text (search, "");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (threads_shown (f), ==, 3);

  /* Cancelling keeps it; confirming deletes it. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.delete-thread", "s",
                              epsimo_thread_get_id (beta));
  dialog = wait_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  epsimo_ui_test_spin (50);
  g_assert_cmpuint (threads_shown (f), ==, 3);

  gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.delete-thread", "s",
                              epsimo_thread_get_id (beta));
  dialog = wait_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  g_assert_true (epsimo_ui_test_wait_for (thread_gone, f, TIMEOUT));
  log = requests (f);
  g_assert_cmpuint (epsimo_test_count_requests (log, "DELETE", path), ==, 1);
}

/* A reply that ends while the window is not focused raises a notification that opens its
 * thread, and the thread keeps an unread dot until it is opened. */
static void
test_notification_when_unfocused (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Background");
  g_autofree char *expected_target = NULL;
  SentNotification *sent;
  GtkWidget *other;

  open_page (f);
  open_thread (f, thread);

  /* Another window takes the focus. */
  other = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (other), "Elsewhere");
  gtk_window_present (GTK_WINDOW (other));
  epsimo_ui_test_spin (300);
  if (gtk_window_is_active (GTK_WINDOW (f->window)))
    {
      gtk_window_destroy (GTK_WINDOW (other));
      g_test_skip ("The window manager did not move the focus (run under build-aux/dev)");
      return;
    }

  type_and_send (f, "take your time");
  wait_reply (f, EPSIMO_CHAT_ITEM_COMPLETE);

  g_assert_cmpuint (notifications->len, ==, 1);
  sent = g_ptr_array_index (notifications, 0);
  expected_target = g_strdup_printf ("%s\t%s", epsimo_project_get_id (f->project),
                                     epsimo_thread_get_id (thread));
  g_assert_cmpstr (sent->action, ==, "app.open-thread");
  g_assert_cmpstr (g_variant_get_string (sent->target, NULL), ==, expected_target);
  g_assert_true (epsimo_chat_page_get_unread (f->page, epsimo_thread_get_id (thread)));
  {
    GtkWidget *dot = epsimo_ui_test_find_widget (epsimo_chat_page_get_threads_view (f->page),
                                                 GTK_TYPE_IMAGE, NULL);
    GtkWidget *row = epsimo_ui_test_find_widget (epsimo_chat_page_get_threads_view (f->page),
                                                 GTK_TYPE_LABEL, "Background");

    g_assert_nonnull (dot);
    g_assert_nonnull (row);
    g_assert_true (gtk_widget_get_visible (dot));
  }

  /* The notification's action, as the application runs it. */
  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_present (GTK_WINDOW (f->window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-thread",
                                  g_variant_new_string (expected_target));
  g_assert_false (epsimo_chat_page_get_unread (f->page, epsimo_thread_get_id (thread)));
  g_assert_cmpstr (epsimo_thread_get_id (epsimo_chat_page_get_thread (f->page)), ==,
                   epsimo_thread_get_id (thread));
}

static void
test_attention_decision (void)
{
  g_assert_cmpint (epsimo_chat_page_decide_attention (FALSE, TRUE), ==,
                   EPSIMO_CHAT_ATTENTION_NOTIFY | EPSIMO_CHAT_ATTENTION_UNREAD);
  g_assert_cmpint (epsimo_chat_page_decide_attention (FALSE, FALSE), ==,
                   EPSIMO_CHAT_ATTENTION_NOTIFY | EPSIMO_CHAT_ATTENTION_UNREAD);
  g_assert_cmpint (epsimo_chat_page_decide_attention (TRUE, FALSE), ==,
                   EPSIMO_CHAT_ATTENTION_UNREAD);
  g_assert_cmpint (epsimo_chat_page_decide_attention (TRUE, TRUE), ==,
                   EPSIMO_CHAT_ATTENTION_NONE);
}

static gboolean
banner_revealed (gpointer data)
{
  Fixture *f = data;

  GtkWidget *banner = epsimo_chat_page_get_banner (f->page);

  return epsimo_error_banner_get_revealed (EPSIMO_ERROR_BANNER (banner));
}

/* A send that fails (500) loses nothing: the text stays in the composer, an error says
 * what happened, and Retry sends it. */
static void
test_draft_survives_500 (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Fragile");
  EpsimoErrorBanner *banner;
  g_autofree char *typed = NULL;
  g_autofree char *after = NULL;

  open_page (f);
  open_thread (f, thread);
  epsimo_test_server_fail (f->server, "POST", run_path (f, thread), 500, 1, NULL);

  type_and_send (f, "keep me safe");
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, f, TIMEOUT));
  banner = EPSIMO_ERROR_BANNER (epsimo_chat_page_get_banner (f->page));
  g_assert_nonnull (strstr (epsimo_error_banner_get_message (banner), "not sent"));

  typed = composer_text (f);
  g_assert_cmpstr (typed, ==, "keep me safe");
  g_assert_cmpuint (n_items (f), ==, 0);
  g_assert_false (epsimo_composer_get_busy (epsimo_chat_page_get_composer (f->page)));
  g_assert_true (gtk_widget_is_sensitive (composer_child (f, "send_button")));

  g_signal_emit_by_name (banner, "retry");
  wait_reply (f, EPSIMO_CHAT_ITEM_COMPLETE);
  after = composer_text (f);
  g_assert_cmpstr (after, ==, "");
  g_assert_cmpstr (epsimo_chat_item_get_text (item_at (f, 0)), ==, "keep me safe");
  g_assert_false (epsimo_error_banner_get_revealed (banner));
}

/* A 429 says when to try again, and keeps the text. */
static void
test_rate_limited_says_when (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Busy server");
  g_autoptr(JsonNode) limited = NULL;
  g_autoptr(JsonNode) unlimited = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  g_autofree char *typed = NULL;
  GAsyncResult *result = NULL;
  const char *message;

  open_page (f);
  open_thread (f, thread);
  /* No silent retries: the user sees the 429 at once. */
  g_object_set (epsimo_session_get_client (f->session), "max-tries", 1, NULL);

  /* One request a minute: this one passes, the message does not. */
  limited = epsimo_test_server_control (f->server, "POST", "rate-limit", "{\"limit\": 1}");
  epsimo_threads_service_list_async (epsimo_session_get_threads (f->session),
                                     epsimo_project_get_id (f->project), NULL,
                                     epsimo_test_async_cb, &result);
  done = await (&result);
  threads = epsimo_threads_service_list_finish (epsimo_session_get_threads (f->session), done,
                                                NULL);
  g_assert_nonnull (threads);

  type_and_send (f, "are you there?");
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, f, TIMEOUT));
  unlimited = epsimo_test_server_control (f->server, "POST", "rate-limit", "{\"limit\": 0}");

  message = epsimo_error_banner_get_message (
    EPSIMO_ERROR_BANNER (epsimo_chat_page_get_banner (f->page)));
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "too many requests"));
  g_assert_nonnull (strstr (message, "Try again in "));
  g_assert_nonnull (strstr (message, "second"));
  typed = composer_text (f);
  g_assert_cmpstr (typed, ==, "are you there?");
}

static gboolean
note_stored (gpointer data)
{
  Fixture *f = data;

  return n_items (f) == 1
         && epsimo_chat_item_get_state (item_at (f, 0)) == EPSIMO_CHAT_ITEM_COMPLETE;
}

/* Add Note posts a message without a run where the server has it (reference), and is not
 * offered elsewhere. */
static void
test_add_note (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Notes");
  g_autofree char *path = g_strdup_printf ("/threads/%s/messages", epsimo_thread_get_id (thread));
  g_autofree char *after = NULL;
  g_autoptr(JsonArray) log = NULL;
  g_autoptr(JsonObject) body = NULL;
  GtkWidget *note_button;

  open_page (f);
  open_thread (f, thread);
  epsimo_composer_set_text (epsimo_chat_page_get_composer (f->page), "remember to call back");
  note_button = composer_child (f, "note_button");

  if (g_str_equal (f->dialect, "live"))
    {
      g_assert_false (gtk_widget_get_visible (note_button));
      g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.add-note", NULL)
                      && n_items (f) > 0);
      g_assert_cmpuint (n_items (f), ==, 0);
      return;
    }

  g_assert_true (gtk_widget_get_visible (note_button));
  g_assert_true (gtk_widget_is_sensitive (note_button));
  g_signal_emit_by_name (note_button, "clicked");
  g_assert_true (epsimo_ui_test_wait_for (note_stored, f, TIMEOUT));
  g_assert_cmpint (epsimo_chat_item_get_kind (item_at (f, 0)), ==, EPSIMO_CHAT_ITEM_NOTE);
  after = composer_text (f);
  g_assert_cmpstr (after, ==, "");

  log = requests (f);
  body = epsimo_test_request_body (epsimo_test_find_request (log, "POST", path));
  g_assert_cmpstr (json_object_get_string_member (body, "content"), ==, "remember to call back");
  g_assert_cmpstr (json_object_get_string_member (body, "role"), ==, "user");
  g_assert_cmpuint (epsimo_test_count_requests (log, "POST", run_path (f, thread)), ==, 0);
}

static gboolean
no_threads_left_shown (gpointer data)
{
  Fixture *f = data;

  return epsimo_composer_get_no_threads_left (epsimo_chat_page_get_composer (f->page));
}

/* With no threads left, the composer says so and offers Buy Credits; a new thread cannot
 * be started. */
static void
test_no_threads_left (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *quota = NULL;
  g_autoptr(JsonNode) answer = NULL;
  GtkWidget *dialog;
  GtkWidget *buy;

  open_page (f);
  quota = g_strdup_printf ("{\"email\": \"%s\", \"thread_counter\": 100, \"thread_max\": 100}",
                           f->email);
  answer = epsimo_test_server_control (f->server, "POST", "quota", quota);
  epsimo_session_refresh_balance (f->session);
  g_assert_true (epsimo_ui_test_wait_for (no_threads_left_shown, f, TIMEOUT));

  gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.new-thread", NULL);
  dialog = wait_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "start");
  epsimo_ui_test_spin (50);

  epsimo_composer_set_text (epsimo_chat_page_get_composer (f->page), "one more?");
  g_assert_false (gtk_widget_is_sensitive (composer_child (f, "send_button")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (composer_child (f, "credits_label"))),
                            "no threads left"));

  buy = composer_child (f, "buy_button");
  g_assert_true (gtk_widget_get_mapped (buy));
  g_signal_emit_by_name (buy, "clicked");
  g_assert_cmpuint (f->buy_credits, ==, 1);
}

static guint
history_requests (Fixture    *f,
                  const char *path)
{
  g_autoptr(JsonArray) log = requests (f);

  return epsimo_test_count_requests (log, "GET", path);
}

/* An older page that fails shows the banner, and the transcript, which asks whenever
 * messages not fetched are near the screen, does not ask again by itself; Retry does. */
static void
test_older_page_fails (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Long history");
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  EpsimoErrorBanner *banner;
  MoreThan more = { f, 0 };
  guint asked;

  body = g_strdup_printf ("{\"thread_id\": \"%s\", \"count\": 1000}",
                          epsimo_thread_get_id (thread));
  answer = epsimo_test_server_control (f->server, "POST", "seed-messages", body);
  path = g_strdup_printf (g_str_equal (f->dialect, "live") ? "/threads/%s/state"
                                                           : "/threads/%s/messages",
                          epsimo_thread_get_id (thread));

  open_page (f);
  open_thread (f, thread);
  g_assert_true (epsimo_ui_test_wait_for (at_bottom_showing_last, f, TIMEOUT));
  more.count = g_str_equal (f->dialect, "live") ? n_items (f) - first_fetched (f)
                                                 : n_items (f);

  epsimo_test_server_fail (f->server, "GET", path, 500, 1000, NULL);
  scroll_to_top (f);
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, f, TIMEOUT));
  banner = EPSIMO_ERROR_BANNER (epsimo_chat_page_get_banner (f->page));
  g_assert_nonnull (strstr (epsimo_error_banner_get_message (banner), "could not be loaded"));
  asked = history_requests (f, path);
  epsimo_ui_test_spin (1000);
  g_assert_cmpuint (history_requests (f, path), ==, asked);

  /* The server answers again: Retry brings the older messages. */
  epsimo_test_server_reset (f->server);
  g_signal_emit_by_name (banner, "retry");
  if (g_str_equal (f->dialect, "live"))
    g_assert_true (epsimo_ui_test_wait_for (oldest_shown, f, TIMEOUT));
  else
    g_assert_true (epsimo_ui_test_wait_for (more_items_than, &more, TIMEOUT));
  g_assert_cmpuint (history_requests (f, path), >, asked);
}

/* A thread opened before the project's assistants have come (a resumed session opens the
 * last thread at once): its replies say "Assistant" meanwhile, then the assistant's name. */
static void
test_author_named_when_assistants_come (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Resumed");
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  RowText wanted = { f, NULL, NULL };

  body = g_strdup_printf ("{\"thread_id\": \"%s\", \"count\": 2}",
                          epsimo_thread_get_id (thread));
  answer = epsimo_test_server_control (f->server, "POST", "seed-messages", body);
  epsimo_test_server_stall (f->server, "GET", "/assistants/", 1);

  open_page (f);
  open_thread (f, thread);
  g_assert_cmpuint (n_items (f), ==, 2);
  g_assert_cmpint (epsimo_chat_item_get_kind (item_at (f, 1)), ==, EPSIMO_CHAT_ITEM_ASSISTANT);
  wanted.item = item_at (f, 1);
  wanted.text = "Assistant";
  g_assert_true (epsimo_ui_test_wait_for (row_shows, &wanted, TIMEOUT));

  /* The stalled list is answered 503 and asked again: the name follows. */
  epsimo_test_server_reset (f->server);
  wanted.text = "Helper";
  g_assert_true (epsimo_ui_test_wait_for (row_shows, &wanted, TIMEOUT));
}

static AdwLeaflet *
page_leaflet (Fixture *f)
{
  return ADW_LEAFLET (gtk_widget_get_template_child (GTK_WIDGET (f->page), EPSIMO_TYPE_CHAT_PAGE,
                                                     "leaflet"));
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (page_leaflet (data));
}

static gboolean
leaflet_settled (gpointer data)
{
  return !adw_leaflet_get_child_transition_running (page_leaflet (data));
}

/* A side panel opened beside an open thread where the window has no room for the three
 * panes: the leaflet folds and shows the thread (with its panel), not the thread list,
 * wherever the focus was. */
static void
test_folding_keeps_thread (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(EpsimoThread) thread = create_thread (f, "Stays open");
  g_autoptr(EpsimoProject) other = NULL;
  GtkWidget *panel = gtk_label_new ("Side panel");
  GtkWidget *conversation_pane;

  /* libadwaita 1.2 loses render nodes of a folded leaflet's animated page changes (LSan
   * reports them under --sanitize): the pages change without animation here. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gtk_widget_set_size_request (panel, 600, -1);
  open_page (f);
  open_thread (f, thread);
  g_assert_false (leaflet_folded (f));
  conversation_pane = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                                EPSIMO_TYPE_CHAT_PAGE,
                                                                "conversation_pane"));
  g_assert_true (gtk_widget_get_mapped (conversation_pane));

  /* The focus in the thread list (the leaflet then takes the list for what it shows). */
  gtk_widget_grab_focus (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                                    EPSIMO_TYPE_CHAT_PAGE,
                                                                    "search_entry")));
  epsimo_ui_test_spin (50);
  epsimo_chat_page_set_side_panel (f->page, panel);
  epsimo_chat_page_set_side_panel_visible (f->page, TRUE);
  g_assert_true (epsimo_ui_test_wait_for (leaflet_folded, f, TIMEOUT));
  epsimo_ui_test_spin (100);
  g_assert_true (epsimo_ui_test_wait_for (leaflet_settled, f, TIMEOUT));
  g_assert_true (gtk_widget_get_mapped (conversation_pane));
  g_assert_true (gtk_widget_get_mapped (panel));

  /* Back still goes to the list. */
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                        EPSIMO_TYPE_CHAT_PAGE, "back_button"),
                         "clicked");
  epsimo_ui_test_spin (100);
  g_assert_true (epsimo_ui_test_wait_for (leaflet_settled, f, TIMEOUT));
  g_assert_false (gtk_widget_get_mapped (conversation_pane));

  /* In another project no thread is open: the folded page shows its list, not an empty
   * conversation. */
  open_thread (f, thread);
  epsimo_ui_test_spin (100);
  g_assert_true (epsimo_ui_test_wait_for (leaflet_settled, f, TIMEOUT));
  g_assert_true (gtk_widget_get_mapped (conversation_pane));
  other = epsimo_ui_test_create_project (f->session, "Other");
  epsimo_chat_page_set_project (f->page, other);
  epsimo_ui_test_spin (100);
  g_assert_true (epsimo_ui_test_wait_for (leaflet_settled, f, TIMEOUT));
  g_assert_true (leaflet_folded (f));
  g_assert_false (gtk_widget_get_mapped (conversation_pane));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

static void
add_both (const char *name,
          void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *live = g_strdup_printf ("/chat/live/%s", name);
  g_autofree char *reference = g_strdup_printf ("/chat/reference/%s", name);

  g_test_add (live, Fixture, "live", fixture_setup, func, fixture_teardown);
  g_test_add (reference, Fixture, "reference", fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  const GActionEntry app_entries[] = {
    { .name = "open-thread", .activate = open_thread_activated, .parameter_type = "s" },
  };
  g_autoptr(GError) error = NULL;
  int status;

  epsimo_ui_test_init (&argc, &argv);
  if (g_getenv ("EPSIMO_TEST_SERVER") == NULL)
    {
      g_test_skip ("EPSIMO_TEST_SERVER is not set");
      return 77;
    }
  gtk_source_init ();

  app = adw_application_new ("com.epsimoagents.Desktop.ChatTest", G_APPLICATION_NON_UNIQUE);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries,
                                   G_N_ELEMENTS (app_entries), NULL);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_notification_free);
  /* Test windows are not always focused: every notification goes to the test's hook. */
  epsimo_chat_page_set_notify_func (record_notification, NULL);

  /* Replies stream slowly enough to be stopped, in both dialects. */
  live_server = epsimo_test_server_start ("live", "--stream-delay", "3", NULL);
  reference_server = epsimo_test_server_start ("reference", "--stream-delay", "3", NULL);

  add_both ("send-and-stream", test_send_and_stream);
  add_both ("stop", test_stop);
  add_both ("cut-then-retry", test_cut_then_retry);
  add_both ("tool-card", test_tool_card);
  add_both ("history-pages-in", test_history_pages_in);
  add_both ("older-page-fails", test_older_page_fails);
  add_both ("draft-survives-500", test_draft_survives_500);
  add_both ("add-note", test_add_note);
  add_both ("author-named-when-assistants-come", test_author_named_when_assistants_come);
  g_test_add ("/chat/live/folding-keeps-thread", Fixture, "live", fixture_setup,
              test_folding_keeps_thread, fixture_teardown);
  g_test_add ("/chat/live/scroll-follows-only-at-bottom", Fixture, "live", fixture_setup,
              test_scroll_follows_only_at_bottom, fixture_teardown);
  g_test_add ("/chat/live/search-and-delete", Fixture, "live", fixture_setup,
              test_search_and_delete, fixture_teardown);
  g_test_add ("/chat/live/rate-limited-says-when", Fixture, "live", fixture_setup,
              test_rate_limited_says_when, fixture_teardown);
  g_test_add ("/chat/live/notification-when-unfocused", Fixture, "live", fixture_setup,
              test_notification_when_unfocused, fixture_teardown);
  g_test_add ("/chat/live/no-threads-left", Fixture, "live", fixture_setup,
              test_no_threads_left, fixture_teardown);
  g_test_add_func ("/chat/attention-decision", test_attention_decision);

  status = g_test_run ();

  epsimo_test_server_stop (live_server);
  epsimo_test_server_stop (reference_server);
  g_ptr_array_unref (notifications);
  g_object_unref (app);
  return status;
}
