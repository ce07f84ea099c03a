/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The signed-in window as a whole: projects in the sidebar, the sections of the selected
 * project, and reopening where the user left off. Against epsimo-test-server. */
#include "config.h"

#include "epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "epsimo-window.h"
#include "account/epsimo-sign-in-page.h"
#include "projects/epsimo-project-list.h"
#include "assistants/epsimo-assistants-page.h"
#include "assistants/epsimo-assistant-editor.h"
#include "chat/epsimo-chat-page.h"
#include "database/epsimo-database-panel.h"
#include "files/epsimo-files-page.h"

#ifdef HAVE_XTEST
#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
#endif

#define PASSWORD "a shell test password"

static EpsimoTestServer *server;

static GtkWidget *
window (void)
{
  GtkWidget *w = epsimo_ui_test_find_toplevel (EPSIMO_TYPE_WINDOW);

  g_assert_nonnull (w);
  return w;
}

static GtkWidget *
window_child (const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (window (), EPSIMO_TYPE_WINDOW, name));
}

static gboolean
stack_shows (gpointer data)
{
  const char *const *pair = data; /* { template child, page name } */

  return epsimo_ui_test_find_toplevel (EPSIMO_TYPE_WINDOW) != NULL
         && g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (window_child (pair[0]))),
                       pair[1]) == 0;
}

static void
wait_stack (const char *stack,
            const char *page)
{
  const char *pair[] = { stack, page };

  g_assert_true (epsimo_ui_test_wait_for (stack_shows, pair, 10000));
}

static gboolean
has_projects (gpointer count)
{
  EpsimoProjectList *list = EPSIMO_PROJECT_LIST (window_child ("project_list"));

  return g_list_model_get_n_items (epsimo_project_list_get_model (list))
         == GPOINTER_TO_UINT (count);
}

static gboolean
selected_is (gpointer name)
{
  EpsimoProjectList *list = EPSIMO_PROJECT_LIST (window_child ("project_list"));
  EpsimoProject *project = epsimo_project_list_get_selected_project (list);

  return project != NULL && g_strcmp0 (epsimo_project_get_name (project), name) == 0;
}

/* From the sign-in page of a fresh start to the new account's shell. */
static void
sign_up (const char *email)
{
  GtkWidget *page;
  GtkWidget *mode;

  wait_stack ("main_stack", "sign-in");
  page = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_SIGN_IN_PAGE, NULL);
  mode = GTK_WIDGET (gtk_widget_get_template_child (page, EPSIMO_TYPE_SIGN_IN_PAGE,
                                                    "mode_button"));
  g_signal_emit_by_name (mode, "clicked");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
    page, EPSIMO_TYPE_SIGN_IN_PAGE, "email_row")), email);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
    page, EPSIMO_TYPE_SIGN_IN_PAGE, "password_row")), PASSWORD);
  g_signal_emit_by_name (gtk_widget_get_template_child (page, EPSIMO_TYPE_SIGN_IN_PAGE,
                                                        "primary_button"), "clicked");
  wait_stack ("main_stack", "main");
  /* A new account has no project: the content says so and offers to create one. */
  wait_stack ("content_stack", "empty");
}

static gboolean
dialog_shown (gpointer data)
{
  return epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

/* Clicks the button of the open message dialog that carries @label, as a user does. */
static void
click_dialog_button (const char *label)
{
  GtkWidget *dialog;
  GtkWidget *button;

  g_assert_true (epsimo_ui_test_wait_for (dialog_shown, NULL, 5000));
  dialog = epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  button = epsimo_ui_test_find_widget (dialog, GTK_TYPE_BUTTON, label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (epsimo_ui_test_wait_for (no_dialog, NULL, 5000));
}

static gboolean
chat_shows (gpointer thread_id)
{
  EpsimoThread *thread = epsimo_chat_page_get_thread (EPSIMO_CHAT_PAGE (window_child ("chat_page")));

  return thread != NULL && g_strcmp0 (epsimo_thread_get_id (thread), thread_id) == 0;
}

/* An assistant and a thread in @project_id, made through the app's own session. */
static char *
make_thread (EpsimoApplication  *app,
             const char         *project_id,
             char              **assistant_id)
{
  EpsimoSession *session = epsimo_application_get_session (app);
  g_autoptr(EpsimoAssistant) draft = epsimo_assistant_new ("Helper");
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(EpsimoThread) draft_thread = NULL;
  g_autoptr(EpsimoThread) thread = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  epsimo_assistants_service_create_async (epsimo_session_get_assistants (session), project_id,
                                          draft, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  assistant = epsimo_assistants_service_create_finish (epsimo_session_get_assistants (session),
                                                       result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  draft_thread = epsimo_thread_new ("Notes", epsimo_assistant_get_id (assistant));
  epsimo_threads_service_create_async (epsimo_session_get_threads (session), project_id,
                                       draft_thread, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  thread = epsimo_threads_service_create_finish (epsimo_session_get_threads (session), result,
                                                 &error);
  g_assert_no_error (error);

  *assistant_id = g_strdup (epsimo_assistant_get_id (assistant));
  return g_strdup (epsimo_thread_get_id (thread));
}

/* Drops @path on the chat composer as a file manager would. */
static void
drop_on_composer (const char *path)
{
  GtkWidget *chat = window_child ("chat_page");
  GtkWidget *composer = GTK_WIDGET (gtk_widget_get_template_child (chat, EPSIMO_TYPE_CHAT_PAGE,
                                                                   "composer"));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (composer);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSList) files = g_slist_prepend (NULL, file);
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_value_unset (&value);
  g_assert_true (handled);
}

static gboolean
panel_shows_key (gpointer panel)
{
  return epsimo_ui_test_find_widget (panel, GTK_TYPE_LABEL, "favourite_colour") != NULL;
}

static gboolean
upload_received (gpointer assistant_id)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (server);
  g_autofree char *path = g_strdup_printf ("/assistants/%s/files", (char *) assistant_id);

  return epsimo_test_count_requests (requests, "POST", path) == 1;
}

static void
stop_app (EpsimoApplication *app)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  epsimo_ui_test_spin (100);
  g_object_unref (app);
}

static void
test_projects_sections_and_restore (void)
{
  EpsimoApplication *app = epsimo_ui_test_start_app ();
  g_autofree char *email = g_strdup_printf ("shell.%u@example.test", (guint) getpid ());
  g_autofree char *seed = NULL;
  g_autofree char *thread_id = NULL;
  g_autofree char *assistant_id = NULL;
  EpsimoProjectList *list;
  AdwViewStack *sections;

  sign_up (email);

  /* Projects made elsewhere appear on refresh (F5 / Ctrl+R run this action). */
  seed = g_strdup_printf ("{\"email\": \"%s\", \"count\": 3}", email);
  json_node_unref (epsimo_test_server_control (server, "POST", "seed-projects", seed));
  gtk_widget_activate_action (window (), "win.refresh-projects", NULL);
  g_assert_true (epsimo_ui_test_wait_for (has_projects, GUINT_TO_POINTER (3), 10000));

  /* Choosing one shows its sections, titled with its name, and it is remembered. */
  list = EPSIMO_PROJECT_LIST (window_child ("project_list"));
  g_assert_true (epsimo_project_list_select_project_id (
    list, epsimo_project_get_id (g_list_model_get_item (epsimo_project_list_get_model (list), 1))));
  wait_stack ("content_stack", "project");
  g_assert_true (epsimo_ui_test_wait_for (selected_is, (gpointer) "Project 0002", 5000));
  g_assert_cmpstr (adw_view_switcher_title_get_title (
                     ADW_VIEW_SWITCHER_TITLE (window_child ("switcher_title"))), ==,
                   "Project 0002");

  /* Narrow, one pane at a time: back on the list, the project already selected opens its
   * page again when activated (Enter, a double click, or a click on it). */
  {
    AdwLeaflet *leaflet = ADW_LEAFLET (window_child ("leaflet"));
    GtkWidget *list_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (list),
                                                                      EPSIMO_TYPE_PROJECT_LIST,
                                                                      "list_view"));

    /* Without animation: libadwaita 1.2 loses render nodes of a folded leaflet's animated
     * page changes (LSan reports them under --sanitize). */
    g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
    gtk_window_set_default_size (GTK_WINDOW (window ()), 500, 700);
    g_assert_true (epsimo_ui_test_wait_for (epsimo_ui_test_leaflet_folded, leaflet, 5000));
    gtk_widget_activate_action (window (), "win.show-sidebar", NULL);
    g_assert_true (adw_leaflet_get_visible_child (leaflet) == window_child ("sidebar"));
    g_signal_emit_by_name (list_view, "activate", 1);
    g_assert_true (adw_leaflet_get_visible_child (leaflet) == window_child ("content"));
    g_assert_cmpstr (epsimo_project_get_name (epsimo_project_list_get_selected_project (list)),
                     ==, "Project 0002");
    gtk_window_set_default_size (GTK_WINDOW (window ()), 1100, 720);
    g_assert_true (epsimo_ui_test_wait_for (epsimo_ui_test_leaflet_unfolded, leaflet, 5000));
    g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  }

  sections = ADW_VIEW_STACK (window_child ("view_stack"));
  gtk_widget_activate_action (window (), "win.show-section", "s", "files");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (sections), ==, "files");
  /* Built as it comes on screen, on the selected project. */
  {
    GtkWidget *files = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_FILES_PAGE, NULL);

    g_assert_nonnull (files);
    g_assert_true (epsimo_files_page_get_project (EPSIMO_FILES_PAGE (files))
                   == epsimo_project_list_get_selected_project (list));
  }
  gtk_widget_activate_action (window (), "win.show-section", "s", "assistants");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (sections), ==, "assistants");

  /* A thread opened in the Chat section (as a notification's action does) is remembered. */
  {
    EpsimoProject *project = epsimo_project_list_get_selected_project (list);
    g_autofree char *path = g_build_filename (g_get_tmp_dir (), "shell-notes.txt", NULL);

    thread_id = make_thread (app, epsimo_project_get_id (project), &assistant_id);
    g_action_group_activate_action (G_ACTION_GROUP (app), "open-thread",
                                    g_variant_new_take_string (g_strdup_printf (
                                      "%s\t%s", epsimo_project_get_id (project), thread_id)));
    g_assert_true (epsimo_ui_test_wait_for (chat_shows, thread_id, 10000));
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (sections), ==, "chat");

    /* Ctrl+D shows the thread's database beside the transcript; the run's state events
     * reach it (here one is emitted as the chat page does for a live run). */
    {
      GtkWidget *chat = window_child ("chat_page");
      GtkWidget *panel;
      g_autoptr(JsonNode) values = json_from_string ("{\"favourite_colour\": \"blue\"}", NULL);

      EpsimoSession *session = epsimo_application_get_session (app);
      GAsyncResult *slot = NULL;
      g_autoptr(GAsyncResult) set = NULL;
      g_autoptr(JsonNode) blue = json_from_string ("\"blue\"", NULL);

      /* What the run's tool stored on the server, and then announced. */
      epsimo_database_service_set_key_async (epsimo_session_get_database (session),
                                             epsimo_project_get_id (project), thread_id,
                                             "favourite_colour", blue, NULL,
                                             epsimo_test_async_cb, &slot);
      set = epsimo_test_await (&slot);
      g_assert_true (epsimo_database_service_set_key_finish (epsimo_session_get_database (session),
                                                             set, NULL));

      gtk_widget_activate_action (window (), "win.toggle-database", NULL);
      g_assert_true (epsimo_chat_page_get_side_panel_visible (EPSIMO_CHAT_PAGE (chat)));
      /* Built when first shown, on the open thread. */
      panel = epsimo_ui_test_find_widget (chat, EPSIMO_TYPE_DATABASE_PANEL, NULL);
      g_assert_nonnull (panel);
      g_assert_cmpstr (epsimo_database_panel_get_thread_id (EPSIMO_DATABASE_PANEL (panel)), ==,
                       thread_id);
      g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
        window_child ("database_toggle"))));
      g_signal_emit_by_name (chat, "state-changed", json_node_get_object (values), thread_id);
      g_assert_true (epsimo_ui_test_wait_for (panel_shows_key, panel, 5000));
      gtk_widget_activate_action (window (), "win.toggle-database", NULL);
      g_assert_false (epsimo_chat_page_get_side_panel_visible (EPSIMO_CHAT_PAGE (chat)));
    }

    /* Files dropped on the composer become the thread's assistant's files. */
    g_assert_true (g_file_set_contents (path, "notes for retrieval\n", -1, NULL));
    epsimo_test_server_clear_requests (server);
    drop_on_composer (path);
    g_assert_true (epsimo_ui_test_wait_for (upload_received, assistant_id, 10000));
  }

  /* A restart signs in from the keyring and reopens that project and thread. */
  stop_app (app);
  epsimo_test_server_clear_requests (server);
  app = epsimo_ui_test_start_app ();
  wait_stack ("main_stack", "main");
  g_assert_true (epsimo_ui_test_wait_for (selected_is, (gpointer) "Project 0002", 10000));
  wait_stack ("content_stack", "project");
  g_assert_true (epsimo_ui_test_wait_for (chat_shows, thread_id, 10000));
  {
    g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (server);

    /* The projects were asked once, while the stored token was checked, and the list
     * took that answer rather than asking again. */
    g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/projects/"), ==, 1);
    /* Only the sections shown were built. */
    g_assert_null (epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_FILES_PAGE, NULL));
  }

  /* Signing out with an unsaved assistant asks first; Cancel keeps both. */
  {
    GtkWidget *assistants;
    GtkWidget *editor;
    GtkWidget *name_row;

    /* The section was never shown since the restart: the action builds it first. */
    g_assert_null (epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_ASSISTANTS_PAGE, NULL));
    gtk_widget_activate_action (window (), "assistants.new", NULL);
    epsimo_ui_test_spin (200);
    assistants = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_ASSISTANTS_PAGE, NULL);
    g_assert_nonnull (assistants);
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (
                       ADW_VIEW_STACK (window_child ("view_stack"))), ==, "assistants");
    editor = GTK_WIDGET (gtk_widget_get_template_child (assistants, EPSIMO_TYPE_ASSISTANTS_PAGE,
                                                        "editor"));
    name_row = GTK_WIDGET (gtk_widget_get_template_child (editor, EPSIMO_TYPE_ASSISTANT_EDITOR,
                                                          "name_row"));
    gtk_editable_set_text (GTK_EDITABLE (name_row), "Unsaved Helper");
    g_assert_true (epsimo_assistants_page_get_has_unsaved_changes (
      EPSIMO_ASSISTANTS_PAGE (assistants)));

    gtk_widget_activate_action (window (), "win.sign-out", NULL);
    click_dialog_button ("_Cancel");
    epsimo_ui_test_spin (100);
    g_assert_nonnull (epsimo_application_get_session (app));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Unsaved Helper");

    gtk_widget_activate_action (window (), "win.sign-out", NULL);
    click_dialog_button ("_Discard");
  }
  wait_stack ("main_stack", "sign-in");
  /* Signed out, nothing of the account stays in the window. */
  g_assert_null (epsimo_project_list_get_session (EPSIMO_PROJECT_LIST (
    window_child ("project_list"))));
  stop_app (app);
}

/* Presses Ctrl and @keysym on the keyboard as a user does: the X server gives the window
 * the input focus and sends it the keys (XTest), and GTK hands them from its focus widget
 * up to the window. FALSE where that cannot be done (not X11, or built without XTest). */
static gboolean
press_control_and (GtkWidget *toplevel,
                   guint      keysym)
{
#ifdef HAVE_XTEST
  GdkDisplay *display = gtk_widget_get_display (toplevel);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (toplevel));
  Display *xdisplay;
  KeyCode control;
  KeyCode key;

  if (!GDK_IS_X11_DISPLAY (display) || surface == NULL)
    return FALSE;
  xdisplay = gdk_x11_display_get_xdisplay (display);
  control = XKeysymToKeycode (xdisplay, XK_Control_L);
  key = XKeysymToKeycode (xdisplay, keysym);
  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XTestFakeKeyEvent (xdisplay, control, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, key, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, key, False, CurrentTime);
  XTestFakeKeyEvent (xdisplay, control, False, CurrentTime);
  XFlush (xdisplay);
  return TRUE;
#else
  return FALSE;
#endif
}

static gboolean
mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
shows_new_thread_dialog (gpointer data)
{
  GtkWidget *dialog = epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return dialog != NULL
         && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                       "New Thread") == 0;
}

static gboolean
assistants_page_shows (gpointer name)
{
  GtkWidget *page = epsimo_ui_test_find_widget (window (), EPSIMO_TYPE_ASSISTANTS_PAGE, NULL);

  return page != NULL
         && g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (
                         gtk_widget_get_template_child (page, EPSIMO_TYPE_ASSISTANTS_PAGE,
                                                        "stack"))), name) == 0;
}

/* The focus in the project list (the user just clicked a project), each section's "new" key
 * still works, as its empty page and tooltips say: Ctrl+N in Chat and in Assistants; and only
 * the section on screen answers. (Files' Ctrl+U is made the same way; its chooser is tested
 * apart, in test-files-chooser: GTK 4.8's chooser dialog leaks under LeakSanitizer.) */
static void
test_section_shortcuts_from_the_sidebar (void)
{
  EpsimoApplication *app = epsimo_ui_test_start_app ();
  g_autofree char *email = g_strdup_printf ("keys.%u@example.test", (guint) getpid ());
  g_autofree char *seed = NULL;
  g_autofree char *threads = NULL;
  g_autofree char *project_id = NULL;
  EpsimoProjectList *list;
  GtkWidget *list_view;

  sign_up (email);

  /* A project with a thread and its assistant, so that a new thread has one to talk to. */
  seed = g_strdup_printf ("{\"email\": \"%s\", \"count\": 1}", email);
  project_id = epsimo_test_server_seed_first_id (server, "seed-projects", seed, "project_ids");
  threads = g_strdup_printf ("{\"project_id\": \"%s\", \"count\": 1}", project_id);
  json_node_unref (epsimo_test_server_control (server, "POST", "seed-threads", threads));
  gtk_widget_activate_action (window (), "win.refresh-projects", NULL);
  g_assert_true (epsimo_ui_test_wait_for (has_projects, GUINT_TO_POINTER (1), 10000));
  list = EPSIMO_PROJECT_LIST (window_child ("project_list"));
  g_assert_true (epsimo_project_list_select_project_id (list, project_id));
  wait_stack ("content_stack", "project");
  list_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (list),
                                                         EPSIMO_TYPE_PROJECT_LIST, "list_view"));

  gtk_widget_activate_action (window (), "win.show-section", "s", "chat");
  g_assert_true (epsimo_ui_test_wait_for (mapped, window_child ("chat_page"), 5000));
  g_assert_true (gtk_widget_grab_focus (list_view));
  if (!press_control_and (window (), XK_n))
    {
      g_test_skip ("no X11 display or no XTest to press keys with");
      stop_app (app);
      return;
    }
  g_assert_true (epsimo_ui_test_wait_for (shows_new_thread_dialog, NULL, 5000));
  click_dialog_button ("_Cancel");

  gtk_widget_activate_action (window (), "win.show-section", "s", "assistants");
  g_assert_true (epsimo_ui_test_wait_for (assistants_page_shows, (gpointer) "list", 5000));
  g_assert_true (gtk_widget_grab_focus (list_view));
  g_assert_true (press_control_and (window (), XK_n));
  g_assert_true (epsimo_ui_test_wait_for (assistants_page_shows, (gpointer) "editor", 5000));
  /* The Chat section is not on screen: its Ctrl+N stayed out of it. */
  g_assert_null (epsimo_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  stop_app (app);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  epsimo_ui_test_init (&argc, &argv);
  if (g_getenv ("EPSIMO_TEST_SERVER") == NULL)
    return 77;

  server = epsimo_test_server_start ("both", NULL);
  g_setenv ("EPSIMO_API_URL", epsimo_test_server_get_url (server), TRUE);

  g_test_add_func ("/shell/projects-sections-and-restore", test_projects_sections_and_restore);
  g_test_add_func ("/shell/section-shortcuts-from-the-sidebar",
                   test_section_shortcuts_from_the_sidebar);

  status = g_test_run ();
  epsimo_test_server_stop (server);
  return status;
}
