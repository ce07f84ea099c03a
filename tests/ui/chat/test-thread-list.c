/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chat page's threads list in a real window against epsimo-test-server, in both wire
 * dialects: a project of a thousand threads shows its newest first at once, and all of
 * them are there (scrolling to the end, searching, selecting one near the end); a row shows
 * its thread's name, assistant and time, its unread dot, and deletes its thread. */
#include "config.h"

#include <string.h>

#include <gtksourceview/gtksource.h>

#include "epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "epsimo-ui-test-session.h"
#include "chat/epsimo-chat-page-private.h"
#include "chat/epsimo-thread-row.h"

#define PASSWORD EPSIMO_UI_TEST_PASSWORD
#define TIMEOUT  20000
#define SEEDED   1000

static EpsimoTestServer *live_server;
static EpsimoTestServer *reference_server;
static AdwApplication *app;

typedef struct
{
  EpsimoTestServer *server;
  char             *email;
  EpsimoSession    *session;
  EpsimoProject    *project;
  EpsimoAssistant  *assistant;
  EpsimoThread     *second;      /* made after the seeded ones */
  EpsimoThread     *newest;      /* made last */
  GtkWidget        *window;
  EpsimoChatPage   *page;
} Fixture;

static GAsyncResult *
await (GAsyncResult **slot)
{
  return epsimo_test_await (slot);
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

  /* The server's times are in milliseconds: this one is later than the ones before. */
  g_usleep (5000);
  epsimo_threads_service_create_async (epsimo_session_get_threads (f->session),
                                       epsimo_project_get_id (f->project), thread, NULL,
                                       epsimo_test_async_cb, &result);
  done = await (&result);
  created = epsimo_threads_service_create_finish (epsimo_session_get_threads (f->session),
                                                  done, &error);
  g_assert_no_error (error);
  return created;
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
  g_autoptr(JsonNode) seeded = NULL;
  g_autofree char *body = NULL;

  f->server = g_str_equal (data, "live") ? live_server : reference_server;
  epsimo_test_server_reset (f->server);
  epsimo_test_server_clear_requests (f->server);

  f->email = g_strdup_printf ("threads.%u.%u@example.test", (guint) getpid (), ++counter);
  f->session = epsimo_ui_test_sign_up (f->server, f->email);

  f->project = epsimo_ui_test_create_project (f->session, "Many threads");
  f->assistant = epsimo_ui_test_create_assistant (f->session, f->project, "Helper");

  /* "Thread 0001" to "Thread 1000", then two made by hand, the newest. */
  body = g_strdup_printf ("{\"project_id\": \"%s\", \"assistant_id\": \"%s\", \"count\": %u}",
                          epsimo_project_get_id (f->project),
                          epsimo_assistant_get_id (f->assistant), SEEDED);
  seeded = epsimo_test_server_control (f->server, "POST", "seed-threads", body);
  f->second = create_thread (f, "Second plans");
  f->newest = create_thread (f, "Newest plans");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  epsimo_ui_test_spin (50);
  g_clear_object (&f->newest);
  g_clear_object (&f->second);
  g_clear_object (&f->assistant);
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  g_free (f->email);
}

static GtkWidget *
threads_view (Fixture *f)
{
  return epsimo_chat_page_get_threads_view (f->page);
}

static GListModel *
threads_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (threads_view (f))));
}

static gboolean
threads_listed (gpointer data)
{
  Fixture *f = data;
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                              EPSIMO_TYPE_CHAT_PAGE,
                                                              "threads_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "list") == 0;
}

static gboolean
all_threads_listed (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (threads_model (f)) == SEEDED + 2;
}

/* Opens the project, reopening @thread_id (or none) as the window does. */
static void
open_page_at (Fixture    *f,
              const char *thread_id)
{
  f->window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  f->page = EPSIMO_CHAT_PAGE (epsimo_chat_page_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (f->window), GTK_WIDGET (f->page));
  g_object_set (f->page, "session", f->session, "project", f->project, NULL);
  if (thread_id != NULL)
    epsimo_chat_page_select_thread (f->page, thread_id);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (epsimo_ui_test_wait_for (threads_listed, f, TIMEOUT));
}

static void
open_page (Fixture *f)
{
  open_page_at (f, NULL);
}

/* The unread dot of @row, if it has one. */
static GtkWidget *
find_dot (GtkWidget *row)
{
  for (GtkWidget *child = gtk_widget_get_first_child (row);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_IMAGE (child))
      return child;
  return NULL;
}

/* The row showing @name, if one is made (on screen or just beyond it). */
static EpsimoThreadRow *
row_named (Fixture    *f,
           const char *name)
{
  GtkWidget *label = epsimo_ui_test_find_widget (threads_view (f), GTK_TYPE_LABEL, name);
  GtkWidget *row = label != NULL ? gtk_widget_get_ancestor (label, EPSIMO_TYPE_THREAD_ROW)
                                 : NULL;

  return row != NULL ? EPSIMO_THREAD_ROW (row) : NULL;
}

/* The label of @row at @index (0: the name, 1: the assistant and time). */
static const char *
row_text (EpsimoThreadRow *row,
          guint            index)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row));

  for (; child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && index-- == 0)
      return gtk_label_get_text (GTK_LABEL (child));
  return NULL;
}

typedef struct
{
  Fixture    *f;
  const char *name;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *wait = data;
  EpsimoThreadRow *row = row_named (wait->f, wait->name);
  graphene_rect_t bounds;

  /* Made and inside the list's visible part (rows are placed where they are seen). */
  return row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row))
         && gtk_widget_compute_bounds (GTK_WIDGET (row), threads_view (wait->f), &bounds)
         && bounds.origin.y >= 0
         && bounds.origin.y + bounds.size.height
            <= gtk_widget_get_height (threads_view (wait->f)) + 1;
}

static gboolean
row_hidden (gpointer data)
{
  return !row_shown (data);
}

static void
wait_row_shown (Fixture    *f,
                const char *name)
{
  RowWait wait = { f, name };

  g_assert_true (epsimo_ui_test_wait_for (row_shown, &wait, TIMEOUT));
}

static EpsimoThread *
thread_at (Fixture *f,
           guint    position)
{
  g_autoptr(EpsimoThread) thread = g_list_model_get_item (threads_model (f), position);

  return thread; /* the list keeps a reference */
}

/* The newest threads are on screen, in order, as soon as the list is; then every thread is
 * in the list, and scrolling to its end shows the oldest. */
static void
test_thousand_threads (Fixture       *f,
                       gconstpointer  data)
{
  GtkAdjustment *adjustment;
  EpsimoThreadRow *row;
  const char *details;
  const char *last_name;
  g_autofree char *prefix = NULL;

  open_page (f);

  row = row_named (f, "Newest plans");
  g_assert_nonnull (row);
  g_assert_true (epsimo_thread_row_get_thread (row) == thread_at (f, 0));
  g_assert_cmpstr (epsimo_thread_get_id (thread_at (f, 0)), ==, epsimo_thread_get_id (f->newest));
  g_assert_cmpstr (epsimo_thread_get_id (thread_at (f, 1)), ==,
                   epsimo_thread_get_id (f->second));
  g_assert_nonnull (row_named (f, "Second plans"));
  wait_row_shown (f, "Newest plans");
  wait_row_shown (f, "Second plans");

  /* The assistant, then the time of today's activity. */
  g_assert_true (epsimo_ui_test_wait_for (all_threads_listed, f, TIMEOUT));
  row = row_named (f, "Newest plans");
  details = row_text (row, 1);
  prefix = g_strdup_printf ("%s · ", "Helper");
  g_assert_true (g_str_has_prefix (details, prefix));
  g_assert_cmpuint (strlen (details), ==, strlen (prefix) + strlen ("00:00"));
  g_assert_true (details[strlen (prefix) + 2] == ':');

  /* Every seeded thread is in the list, the oldest last, and scrolling gets to it. */
  for (guint i = 2; i < SEEDED + 2; i++)
    g_assert_true (g_str_has_prefix (epsimo_thread_get_name (thread_at (f, i)), "Thread "));
  last_name = epsimo_thread_get_name (thread_at (f, SEEDED + 1));
  g_assert_null (row_named (f, last_name));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (threads_view (f)));
  for (guint attempt = 0; attempt < 20 && row_named (f, last_name) == NULL; attempt++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                            - gtk_adjustment_get_page_size (adjustment));
      epsimo_ui_test_spin (50);
    }
  wait_row_shown (f, last_name);
  {
    RowWait newest = { f, "Newest plans" };

    /* Gone from view once the list has laid out the scrolled position (a frame or more). */
    g_assert_true (epsimo_ui_test_wait_for (row_hidden, &newest, TIMEOUT));
  }
}

/* A search finds a thread far down the list; selecting one far down, while the list is
 * still being given its rows, shows it at once and selects it. */
static void
test_search_and_select (Fixture       *f,
                        gconstpointer  data)
{
  GtkEditable *search;
  EpsimoThread *oldest;
  g_autofree char *oldest_id = NULL;
  g_autofree char *oldest_name = NULL;

  open_page (f);

  /* The oldest of the seeded threads, by name: the server makes them in order. */
  g_assert_true (epsimo_ui_test_wait_for (all_threads_listed, f, TIMEOUT));
  oldest = thread_at (f, SEEDED + 1);
  oldest_id = g_strdup (epsimo_thread_get_id (oldest));
  oldest_name = g_strdup (epsimo_thread_get_name (oldest));
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  epsimo_ui_test_spin (50);

  /* Opened again, reopening that thread: it is shown as soon as the list comes in, before
   * the list has all its rows. */
  open_page_at (f, oldest_id);
  g_assert_nonnull (epsimo_chat_page_get_conversation (f->page));
  g_assert_cmpstr (epsimo_thread_get_id (epsimo_chat_conversation_get_thread (
                     epsimo_chat_page_get_conversation (f->page))), ==, oldest_id);
  g_assert_true (epsimo_ui_test_wait_for (all_threads_listed, f, TIMEOUT));
  epsimo_ui_test_spin (100);
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (threads_model (f));
    EpsimoThread *selected = gtk_single_selection_get_selected_item (selection);

    g_assert_nonnull (selected);
    g_assert_cmpstr (epsimo_thread_get_id (selected), ==, oldest_id);
  }
  /* Still the newest first on screen: selecting did not scroll. */
  wait_row_shown (f, "Newest plans");

  search = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                        EPSIMO_TYPE_CHAT_PAGE, "search_entry"));
  gtk_editable_set_text (search, oldest_name);
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (threads_model (f)), ==, 1);
  wait_row_shown (f, oldest_name);
  gtk_editable_set_text (search, "");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (threads_model (f)), ==, SEEDED + 2);
}

static gboolean
dialog_shown (gpointer data)
{
  return epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
newest_gone (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (threads_model (f)) == SEEDED + 1
         && row_named (f, "Newest plans") == NULL;
}

/* The row's Delete button asks, then deletes its own thread. */
static void
test_delete_from_row (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/threads/%s", epsimo_thread_get_id (f->newest));
  g_autoptr(JsonArray) log = NULL;
  EpsimoThreadRow *row;
  GtkWidget *button;
  GtkWidget *dialog;

  open_page (f);
  g_assert_true (epsimo_ui_test_wait_for (all_threads_listed, f, TIMEOUT));
  row = row_named (f, "Newest plans");
  g_assert_nonnull (row);
  button = epsimo_ui_test_find_widget (GTK_WIDGET (row), GTK_TYPE_BUTTON, NULL);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Delete Thread");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (epsimo_ui_test_wait_for (dialog_shown, NULL, TIMEOUT));
  dialog = epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  g_assert_true (epsimo_ui_test_wait_for (newest_gone, f, TIMEOUT));
  log = epsimo_test_server_get_requests (f->server);
  g_assert_cmpuint (epsimo_test_count_requests (log, "DELETE", path), ==, 1);
  wait_row_shown (f, "Second plans");
}

/* The unread dot: made when a reply is unread, with its tooltip and label, and gone once
 * read; the name is bold meanwhile. */
static void
test_unread_dot (void)
{
  g_autoptr(EpsimoThread) thread = epsimo_thread_new ("Background", NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = epsimo_thread_row_new ();
  GtkWidget *dot;

  gtk_window_set_child (GTK_WINDOW (window), row);
  epsimo_thread_row_set_thread (EPSIMO_THREAD_ROW (row), thread, "Helper");
  gtk_window_present (GTK_WINDOW (window));
  epsimo_ui_test_spin (50);
  g_assert_cmpstr (row_text (EPSIMO_THREAD_ROW (row), 0), ==, "Background");
  g_assert_cmpstr (row_text (EPSIMO_THREAD_ROW (row), 1), ==, "Helper");
  dot = find_dot (row);
  g_assert_true (dot == NULL || !gtk_widget_get_visible (dot));
  g_assert_false (epsimo_thread_row_get_unread (EPSIMO_THREAD_ROW (row)));

  epsimo_thread_row_set_unread (EPSIMO_THREAD_ROW (row), TRUE);
  epsimo_ui_test_spin (50);
  dot = find_dot (row);
  g_assert_nonnull (dot);
  /* Read before the Delete button. */
  g_assert_true (gtk_widget_get_next_sibling (dot) == epsimo_ui_test_find_widget (
                   row, GTK_TYPE_BUTTON, NULL));
  g_assert_true (gtk_widget_get_mapped (dot));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (dot), ==, "Unread reply");
  g_assert_true (gtk_widget_get_width (dot) > 0);
  g_assert_true (gtk_widget_has_css_class (
                   epsimo_ui_test_find_widget (row, GTK_TYPE_LABEL, "Background"), "heading"));

  /* A rename shows at once; no name shows as untitled. */
  g_object_set (thread, "name", "", NULL);
  g_assert_cmpstr (row_text (EPSIMO_THREAD_ROW (row), 0), ==, "Untitled Thread");
  g_object_set (thread, "name", "Renamed", NULL);
  g_assert_nonnull (epsimo_ui_test_find_widget (row, GTK_TYPE_LABEL, "Renamed"));

  epsimo_thread_row_set_unread (EPSIMO_THREAD_ROW (row), FALSE);
  epsimo_ui_test_spin (50);
  g_assert_false (gtk_widget_get_visible (dot));
  g_assert_false (gtk_widget_has_css_class (
                    epsimo_ui_test_find_widget (row, GTK_TYPE_LABEL, "Renamed"), "heading"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
threads_asked (gpointer data)
{
  Fixture *f = data;
  g_autoptr(JsonArray) log = epsimo_test_server_get_requests (f->server);

  return epsimo_test_count_requests (log, "GET", "/threads/") > 0;
}

static GPtrArray *
list_threads (EpsimoSession *session,
              const char    *project_id)
{
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  GPtrArray *threads;

  epsimo_session_list_threads_async (session, project_id, NULL, epsimo_test_async_cb,
                                     &result);
  done = await (&result);
  threads = epsimo_session_list_threads_finish (session, done, &error);
  g_assert_no_error (error);
  return threads;
}

/* Signs in remembered (the token goes to the keyring), then resumes from the keyring as a
 * launch does, reopening the fixture's project; with @late_project, that project's own
 * GET (which brings its token) gets no answer until the server is reset. */
static EpsimoSession *
resume (Fixture  *f,
        gboolean  late_project)
{
  g_autoptr(EpsimoSession) remembered = NULL;
  g_autoptr(EpsimoSession) resumed = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  remembered = epsimo_session_new (epsimo_test_server_get_url (f->server), &error);
  g_assert_no_error (error);
  epsimo_session_sign_in_async (remembered, f->email, PASSWORD, TRUE, NULL,
                                epsimo_test_async_cb, &result);
  done = await (&result);
  g_assert_true (epsimo_session_sign_in_finish (remembered, done, &error));
  g_assert_no_error (error);
  g_clear_object (&done);
  /* The token reaches the keyring after the sign-in returns. */
  epsimo_ui_test_spin (500);

  epsimo_test_server_clear_requests (f->server);
  if (late_project)
    {
      g_autofree char *path = g_strdup_printf ("/projects/%s", epsimo_project_get_id (f->project));

      epsimo_test_server_stall (f->server, "GET", path, 1);
    }
  resumed = epsimo_session_new (epsimo_test_server_get_url (f->server), &error);
  g_assert_no_error (error);
  epsimo_session_resume_async (resumed, f->email, epsimo_project_get_id (f->project), NULL,
                               NULL, epsimo_test_async_cb, &result);
  done = await (&result);
  g_assert_true (epsimo_session_resume_finish (resumed, done, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&resumed);
}

static void
sign_out (EpsimoSession *session)
{
  g_autoptr(GAsyncResult) done = NULL;
  GAsyncResult *result = NULL;

  epsimo_session_sign_out_async (session, NULL, epsimo_test_async_cb, &result);
  done = await (&result);
  g_assert_true (epsimo_session_sign_out_finish (session, done, NULL));
}

/* A thread made after resuming: a later list has it, asked from the server (the second
 * GET of the threads). */
static void
later_list_asks_server (Fixture       *f,
                        EpsimoSession *resumed)
{
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(JsonArray) log = NULL;

  g_clear_object (&f->newest);
  f->newest = create_thread (f, "Made after resuming");
  later = list_threads (resumed, epsimo_project_get_id (f->project));
  g_assert_cmpuint (later->len, ==, SEEDED + 3);
  log = epsimo_test_server_get_requests (f->server);
  g_assert_cmpuint (epsimo_test_count_requests (log, "GET", "/threads/"), ==, 2);
}

/* Signing in again from the keyring asks for the reopened project's threads while the
 * stored token is checked: the chat page's first request takes that answer, later ones
 * ask the server. */
static void
test_resume_asks_threads_early (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(EpsimoSession) resumed = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(JsonArray) log = NULL;
  const char *project_id = epsimo_project_get_id (f->project);

  resumed = resume (f, FALSE);
  g_assert_true (epsimo_ui_test_wait_for (threads_asked, f, TIMEOUT));

  first = list_threads (resumed, project_id);
  g_assert_cmpuint (first->len, ==, SEEDED + 2);
  log = epsimo_test_server_get_requests (f->server);
  g_assert_cmpuint (epsimo_test_count_requests (log, "GET", "/threads/"), ==, 1);

  later_list_asks_server (f, resumed);
  sign_out (resumed);
}

static gboolean
project_asked_twice (gpointer data)
{
  Fixture *f = data;
  g_autoptr(JsonArray) log = epsimo_test_server_get_requests (f->server);
  g_autofree char *path = g_strdup_printf ("/projects/%s", epsimo_project_get_id (f->project));

  return epsimo_test_count_requests (log, "GET", path) >= 2;
}

/* The chat page asks for the threads before the reopened project's token came back: it
 * gets its own answer, and nothing asked ahead is kept for a later request, which has what
 * the server has then. */
static void
test_resume_project_token_late (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(EpsimoSession) resumed = NULL;
  g_autoptr(GPtrArray) first = NULL;
  const char *project_id = epsimo_project_get_id (f->project);

  resumed = resume (f, TRUE);
  first = list_threads (resumed, project_id);
  g_assert_cmpuint (first->len, ==, SEEDED + 2);

  /* The stalled GET answers now; the page's own request asked for the project too. */
  epsimo_test_server_reset (f->server);
  g_assert_true (epsimo_ui_test_wait_for (project_asked_twice, f, TIMEOUT));
  epsimo_ui_test_spin (300);

  later_list_asks_server (f, resumed);
  sign_out (resumed);
}

static void
add_both (const char    *name,
          void         (*func) (Fixture *, gconstpointer))
{
  g_autofree char *live = g_strdup_printf ("/thread-list/live/%s", name);
  g_autofree char *reference = g_strdup_printf ("/thread-list/reference/%s", name);

  g_test_add (live, Fixture, "live", fixture_setup, func, fixture_teardown);
  g_test_add (reference, Fixture, "reference", fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  epsimo_ui_test_init (&argc, &argv);
  if (g_getenv ("EPSIMO_TEST_SERVER") == NULL)
    {
      g_test_skip ("EPSIMO_TEST_SERVER is not set");
      return 77;
    }
  gtk_source_init ();

  app = adw_application_new ("com.epsimoagents.Desktop.ThreadListTest",
                             G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  live_server = epsimo_test_server_start ("live", NULL);
  reference_server = epsimo_test_server_start ("reference", NULL);

  add_both ("thousand-threads", test_thousand_threads);
  add_both ("search-and-select", test_search_and_select);
  add_both ("delete-from-row", test_delete_from_row);
  add_both ("resume-asks-threads-early", test_resume_asks_threads_early);
  add_both ("resume-project-token-late", test_resume_project_token_late);
  g_test_add_func ("/thread-list/unread-dot", test_unread_dot);

  status = g_test_run ();

  epsimo_test_server_stop (live_server);
  epsimo_test_server_stop (reference_server);
  g_clear_object (&app);
  return status;
}
