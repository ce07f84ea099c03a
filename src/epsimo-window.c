/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "account/epsimo-account-menu.h"
#include "account/epsimo-sign-in-page.h"
#include "assistants/epsimo-assistants-page.h"
#include "chat/epsimo-chat-page.h"
#include "credits/epsimo-buy-credits-dialog.h"
#include "database/epsimo-database-page.h"
#include "database/epsimo-database-panel.h"
#include "credits/epsimo-credits-pill.h"
#include "files/epsimo-files-page.h"
#include "projects/epsimo-project-list.h"
#include "projects/epsimo-project-overview.h"
#include "widgets/epsimo-stack-page.h"
#include "widgets/epsimo-tooltip.h"

#include "epsimo-settings.h"
#include "epsimo-window.h"

struct _EpsimoWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  EpsimoApplication    *application;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  /* The sign-in page is built the first time it is shown (a launch that resumes an account
   * never shows it), with the server and e-mail the window found when it opened. */
  AdwBin               *sign_in_slot;
  EpsimoSignInPage     *sign_in_page;
  AdwStatusPage        *resuming_page;
  EpsimoAccountMenu    *account_menu;
  GtkWidget            *credits_pill;
  EpsimoProjectList    *project_list;
  GtkStack             *content_stack;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkWidget            *chat_page;
  /* The other sections are built the first time they are shown, or when an action needs
   * them: most launches reopen a thread, and the assistant editor alone takes longer to
   * build than the whole chat. Until then the slot is empty and the page NULL. */
  AdwBin               *overview_slot;
  AdwBin               *files_slot;
  AdwBin               *assistants_slot;
  AdwBin               *database_slot;
  GtkWidget            *overview_page;
  GtkWidget            *files_page;
  GtkWidget            *assistants_page;
  GtkWidget            *database_page;
  GtkWidget            *database_toggle;
  GtkWidget            *new_project_button;
  GtkWidget            *primary_menu_button;
  GtkWidget            *back_button;
  /* The chat's side panel: the open thread's database, fed live by its runs. Built the
   * first time it is shown, like the sections. */
  EpsimoDatabasePanel  *thread_database;
  /* A thread to open once its project is selected (restoring, or from a notification). */
  char                 *pending_thread;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;

  /* epsimo_window_present_when_ready(): waiting for the content, at most until the timeout */
  guint                 present_timeout_id;
  guint                 present_check_id;
};

G_DEFINE_FINAL_TYPE (EpsimoWindow, epsimo_window, ADW_TYPE_APPLICATION_WINDOW)

static void epsimo_window_setup (EpsimoWindow      *self,
                                 EpsimoApplication *application);

EpsimoWindow *
epsimo_window_new (EpsimoApplication *application)
{
  EpsimoWindow *self = g_object_new (EPSIMO_TYPE_WINDOW,
                                     "application", application,
                                     NULL);

  epsimo_window_setup (self, application);
  return self;
}

void
epsimo_window_add_toast (EpsimoWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (EPSIMO_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
restore_window_state (EpsimoWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (EpsimoWindow *self)
{
  int width, height;

  /* The default size is the unmaximized size, which is what should come back next time. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
epsimo_window_close_request (GtkWindow *window)
{
  save_window_state (EPSIMO_WINDOW (window));

  return GTK_WINDOW_CLASS (epsimo_window_parent_class)->close_request (window);
}

static void
show_sidebar_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
show_content_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

#define MAX_SECTIONS 8

/* Every page of the project sections built so far, for what they all get (session and
 * project). */
static guint
collect_section_pages (EpsimoWindow *self,
                       GtkWidget    *pages[MAX_SECTIONS])
{
  GtkWidget *all[] = {
    self->overview_page, self->files_page, self->assistants_page, self->chat_page,
    self->database_page, GTK_WIDGET (self->thread_database),
  };
  guint n = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (all) <= MAX_SECTIONS);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (all[i] != NULL)
      pages[n++] = all[i];
  return n;
}

/* A page built late starts where the built ones are: same session, same project. */
static void
catch_up (EpsimoWindow *self,
          GtkWidget    *page)
{
  g_object_set (page,
                "session", epsimo_project_list_get_session (self->project_list),
                "project", epsimo_project_list_get_selected_project (self->project_list),
                NULL);
}

typedef struct
{
  const char *name;
  GType     (*get_type) (void);
  gsize       slot_offset;
  gsize       page_offset;
} LazySection;

static const LazySection lazy_sections[] = {
  { "overview", epsimo_project_overview_get_type,
    G_STRUCT_OFFSET (EpsimoWindow, overview_slot), G_STRUCT_OFFSET (EpsimoWindow, overview_page) },
  { "files", epsimo_files_page_get_type,
    G_STRUCT_OFFSET (EpsimoWindow, files_slot), G_STRUCT_OFFSET (EpsimoWindow, files_page) },
  { "assistants", epsimo_assistants_page_get_type,
    G_STRUCT_OFFSET (EpsimoWindow, assistants_slot),
    G_STRUCT_OFFSET (EpsimoWindow, assistants_page) },
  { "database", epsimo_database_page_get_type,
    G_STRUCT_OFFSET (EpsimoWindow, database_slot), G_STRUCT_OFFSET (EpsimoWindow, database_page) },
};

static GtkWidget *
build_section (EpsimoWindow      *self,
               const LazySection *section)
{
  GtkWidget **page = G_STRUCT_MEMBER_P (self, section->page_offset);

  if (*page == NULL)
    {
      *page = g_object_new (section->get_type (), NULL);
      catch_up (self, *page);
      adw_bin_set_child (G_STRUCT_MEMBER (AdwBin *, self, section->slot_offset), *page);
    }
  return *page;
}

/* The page of the section called @name, built now if it was not yet; NULL if there is no
 * such section. */
static GtkWidget *
ensure_section (EpsimoWindow *self,
                const char   *name)
{
  if (g_strcmp0 (name, "chat") == 0)
    return self->chat_page;

  for (guint i = 0; i < G_N_ELEMENTS (lazy_sections); i++)
    if (g_strcmp0 (name, lazy_sections[i].name) == 0)
      return build_section (self, &lazy_sections[i]);

  return NULL;
}

/* A slot is mapped when its section really comes on screen. */
static void
on_slot_map (GtkWidget    *slot,
             EpsimoWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (lazy_sections); i++)
    if (G_STRUCT_MEMBER (GtkWidget *, self, lazy_sections[i].slot_offset) == slot)
      build_section (self, &lazy_sections[i]);
}

static void
ensure_thread_database (EpsimoWindow *self)
{
  EpsimoThread *thread;

  if (self->thread_database != NULL)
    return;

  self->thread_database = EPSIMO_DATABASE_PANEL (epsimo_database_panel_new ());
  catch_up (self, GTK_WIDGET (self->thread_database));
  thread = epsimo_chat_page_get_thread (EPSIMO_CHAT_PAGE (self->chat_page));
  epsimo_database_panel_set_thread_id (self->thread_database,
                                       thread != NULL ? epsimo_thread_get_id (thread) : NULL);
  epsimo_chat_page_set_side_panel (EPSIMO_CHAT_PAGE (self->chat_page),
                                   GTK_WIDGET (self->thread_database));
}

static void
on_side_panel_visible_changed (EpsimoWindow *self)
{
  if (epsimo_chat_page_get_side_panel_visible (EPSIMO_CHAT_PAGE (self->chat_page)))
    ensure_thread_database (self);
}

static void
set_session_on_pages (EpsimoWindow  *self,
                      EpsimoSession *session)
{
  GtkWidget *pages[MAX_SECTIONS];
  guint n_pages = collect_section_pages (self, pages);

  if (epsimo_project_list_get_session (self->project_list) == session)
    return;

  epsimo_project_list_set_session (self->project_list, session);
  for (guint i = 0; i < n_pages; i++)
    g_object_set (pages[i], "session", session, NULL);

  if (session != NULL)
    {
      g_autofree char *last_project = g_settings_get_string (self->settings, "last-project");

      /* Back where the user left off, once the list is in. */
      if (*last_project != '\0')
        epsimo_project_list_select_project_id (self->project_list, last_project);
    }
}

static void
on_chat_files_dropped (EpsimoWindow *self,
                       GListModel   *files,
                       const char   *assistant_id)
{
  g_autoptr(GPtrArray) uploads = NULL;
  g_autofree char *message = NULL;
  guint n = g_list_model_get_n_items (files);

  /* The Files section's queue does the work, so progress, Cancel and Retry live there. */
  uploads = epsimo_files_page_upload_files (EPSIMO_FILES_PAGE (ensure_section (self, "files")),
                                            files, assistant_id);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Uploading %u file for the thread’s assistant",
                                          "Uploading %u files for the thread’s assistant", n),
                             n);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
on_thread_changed (EpsimoWindow *self)
{
  EpsimoThread *thread = epsimo_chat_page_get_thread (EPSIMO_CHAT_PAGE (self->chat_page));
  const char *id = thread != NULL ? epsimo_thread_get_id (thread) : NULL;

  if (self->thread_database != NULL)
    epsimo_database_panel_set_thread_id (self->thread_database, id);
  if (id != NULL)
    epsimo_settings_remember (self->settings, "last-thread", id);
}

static void
on_chat_state_changed (EpsimoWindow *self,
                       JsonObject   *values,
                       const char   *thread_id)
{
  /* A panel never shown loads the whole state when it is; a run of another thread (in the
   * background) is not the panel's business. */
  if (self->thread_database != NULL
      && g_strcmp0 (thread_id, epsimo_database_panel_get_thread_id (self->thread_database)) == 0)
    epsimo_database_panel_apply_state (self->thread_database, values);
}

/* The bottom switcher (a narrow window) gets its buttons the first time it shows: a wide
 * window never builds, styles and measures them. */
static void
on_switcher_bar_reveal_changed (EpsimoWindow *self)
{
  if (adw_view_switcher_bar_get_reveal (self->switcher_bar)
      && adw_view_switcher_bar_get_stack (self->switcher_bar) == NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
}

static void
on_visible_section_changed (EpsimoWindow *self)
{
  /* The database toggle belongs to the chat: it shows beside the transcript. */
  gtk_widget_set_visible (self->database_toggle,
                          g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack),
                                     "chat") == 0);
}

static void
toggle_database_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);
  EpsimoChatPage *chat = EPSIMO_CHAT_PAGE (self->chat_page);

  adw_view_stack_set_visible_child_name (self->view_stack, "chat");
  ensure_thread_database (self);
  epsimo_chat_page_set_side_panel_visible (chat, !epsimo_chat_page_get_side_panel_visible (chat));
}

void
epsimo_window_open_thread (EpsimoWindow *self,
                           const char   *project_id,
                           const char   *thread_id)
{
  EpsimoProject *current;

  g_return_if_fail (EPSIMO_IS_WINDOW (self));

  current = epsimo_project_list_get_selected_project (self->project_list);
  adw_view_stack_set_visible_child_name (self->view_stack, "chat");
  adw_leaflet_set_visible_child (self->leaflet, self->content);

  if (current != NULL && g_strcmp0 (epsimo_project_get_id (current), project_id) == 0)
    {
      epsimo_chat_page_select_thread (EPSIMO_CHAT_PAGE (self->chat_page), thread_id);
      return;
    }

  g_free (self->pending_thread);
  self->pending_thread = g_strdup (thread_id);
  epsimo_project_list_select_project_id (self->project_list, project_id);
}

/* Asked for again (a click on the project already selected): its page, over the list. */
static void
on_project_activated (EpsimoWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
on_selected_project_changed (EpsimoWindow *self)
{
  EpsimoProject *project = epsimo_project_list_get_selected_project (self->project_list);
  GtkWidget *pages[MAX_SECTIONS];
  guint n_pages = collect_section_pages (self, pages);

  for (guint i = 0; i < n_pages; i++)
    g_object_set (pages[i], "project", project, NULL);

  if (project != NULL)
    {
      g_autofree char *last_project = g_settings_get_string (self->settings, "last-project");

      /* Reopening the last project reopens its thread too. */
      if (self->pending_thread == NULL
          && g_strcmp0 (last_project, epsimo_project_get_id (project)) == 0)
        self->pending_thread = g_settings_get_string (self->settings, "last-thread");
      if (self->pending_thread != NULL && *self->pending_thread != '\0')
        {
          epsimo_chat_page_select_thread (EPSIMO_CHAT_PAGE (self->chat_page),
                                          self->pending_thread);
          /* Back in the conversation the user left, not on the overview above it. */
          adw_view_stack_set_visible_child_name (self->view_stack, "chat");
        }
      g_clear_pointer (&self->pending_thread, g_free);

      adw_view_switcher_title_set_title (self->switcher_title, epsimo_project_get_name (project));
      epsimo_stack_show_page (self->content_stack, "project");
      epsimo_settings_remember (self->settings, "last-project", epsimo_project_get_id (project));
      if (adw_leaflet_get_folded (self->leaflet))
        adw_leaflet_set_visible_child (self->leaflet, self->content);
    }
  else
    {
      adw_view_switcher_title_set_title (self->switcher_title, _("Epsimo"));
      epsimo_stack_show_page (self->content_stack, "empty");
    }
}

static void on_signed_in          (EpsimoWindow  *self,
                                   EpsimoSession *session);
static void on_sign_in_cancelled  (EpsimoWindow  *self);
static void on_server_changed     (EpsimoWindow  *self,
                                   const char    *server);

/* What the sign-in page starts with, when it is built: the server and e-mail of the
 * settings (or an error about the server). */
static void
apply_sign_in_defaults (EpsimoWindow *self)
{
  g_autofree char *server = epsimo_application_dup_api_url (self->application);
  g_autofree char *email = g_settings_get_string (self->settings, "last-email");
  const char *demo_email = g_getenv ("EPSIMO_DEMO_EMAIL");
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = epsimo_client_normalize_base_url (server, &error);

  epsimo_sign_in_page_set_server (self->sign_in_page, normalized != NULL ? normalized : server);
  if (normalized == NULL)
    epsimo_sign_in_page_show_error (self->sign_in_page, error->message);

  /* `build-aux/dev run` names the demo account of its local server. */
  epsimo_sign_in_page_set_email (self->sign_in_page,
                                 *email == '\0' && demo_email != NULL ? demo_email : email);
}

static EpsimoSignInPage *
ensure_sign_in_page (EpsimoWindow *self)
{
  if (self->sign_in_page != NULL)
    return self->sign_in_page;

  self->sign_in_page = g_object_new (EPSIMO_TYPE_SIGN_IN_PAGE, NULL);
  g_signal_connect_object (self->sign_in_page, "signed-in",
                           G_CALLBACK (on_signed_in), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_in_page, "cancelled",
                           G_CALLBACK (on_sign_in_cancelled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_in_page, "server-changed",
                           G_CALLBACK (on_server_changed), self, G_CONNECT_SWAPPED);
  apply_sign_in_defaults (self);
  adw_bin_set_child (self->sign_in_slot, GTK_WIDGET (self->sign_in_page));

  return self->sign_in_page;
}

/* Shows what fits the application's state: the signed-in shell, the silent sign-in, or the
 * sign-in page. */
static void
update_page (EpsimoWindow *self)
{
  EpsimoSession *session = epsimo_application_get_session (self->application);

  epsimo_account_menu_set_session (self->account_menu, session);
  g_object_set (self->credits_pill, "session", session, NULL);
  set_session_on_pages (self, session);

  if (session != NULL)
    {
      /* From the silent sign-in straight to the account: a cross-fade would paint both
       * pages, blended, on every frame while the project is loading. */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "resuming") == 0)
        gtk_stack_set_visible_child_full (self->main_stack, "main",
                                          GTK_STACK_TRANSITION_TYPE_NONE);
      else
        epsimo_stack_show_page (self->main_stack, "main");
    }
  else if (epsimo_application_get_resuming (self->application))
    {
      g_autofree char *email = g_settings_get_string (self->settings, "last-email");

      adw_status_page_set_description (self->resuming_page, email);
      epsimo_stack_show_page (self->main_stack, "resuming");
    }
  else
    {
      epsimo_sign_in_page_set_can_cancel (ensure_sign_in_page (self), FALSE);
      epsimo_stack_show_page (self->main_stack, "sign-in");
    }
}

static void
on_application_state_changed (EpsimoWindow *self)
{
  update_page (self);
}

/* The sign-in page takes the focus as it is shown, but the page it fades from is still
 * mapped meanwhile: a popover closing there (the account menu's Sign Out) gives the focus
 * back to its button, which then goes away with the page. Once the fade is over, the
 * focus is where the user types. */
static void
on_main_transition_running (EpsimoWindow *self)
{
  if (!gtk_stack_get_transition_running (self->main_stack) && self->sign_in_page != NULL
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "sign-in") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_page));
}

static void
on_sign_in_needed (EpsimoApplication *application,
                   const char        *server,
                   const char        *email,
                   const char        *message,
                   EpsimoWindow      *self)
{
  g_autofree char *current = NULL;

  if (server == NULL)
    current = epsimo_application_dup_api_url (application);

  ensure_sign_in_page (self);
  epsimo_sign_in_page_reset (self->sign_in_page);
  epsimo_sign_in_page_set_server (self->sign_in_page, server != NULL ? server : current);
  epsimo_sign_in_page_set_email (self->sign_in_page, email);
  epsimo_sign_in_page_show_error (self->sign_in_page, message);
  /* With an account still signed in (adding another one), the user may go back to it. */
  epsimo_sign_in_page_set_can_cancel (self->sign_in_page,
                                      epsimo_application_get_session (application) != NULL);
  epsimo_stack_show_page (self->main_stack, "sign-in");
}

static void
on_signed_in (EpsimoWindow  *self,
              EpsimoSession *session)
{
  epsimo_application_set_session (self->application, session);
  update_page (self);
}

static void
on_sign_in_cancelled (EpsimoWindow *self)
{
  update_page (self);
}

static void
on_server_changed (EpsimoWindow *self,
                   const char   *server)
{
  /* Kept for next time too, unless the environment decides the server. */
  epsimo_application_set_api_url_override (self->application, server);
  if (!epsimo_application_api_url_from_environment ())
    g_settings_set_string (self->settings, "api-url", server);
}

static void
buy_credits_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);
  EpsimoSession *session = epsimo_application_get_session (self->application);

  if (session != NULL)
    epsimo_credits_show_buy_dialog (widget, session);
}

static void
toast_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);
  /* A toast title is markup in libadwaita 1.2; messages carry names from the server. */
  g_autofree char *escaped = g_markup_escape_text (g_variant_get_string (parameter, NULL), -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
show_section_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, name);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
new_project_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->project_list), "projects.new", NULL);
}

static void
refresh_projects_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);

  epsimo_project_list_reload (self->project_list);
  if (self->overview_page != NULL
      && g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "overview") == 0)
    epsimo_project_overview_reload (EPSIMO_PROJECT_OVERVIEW (self->overview_page));
}

static void
search_projects_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_activate_action (GTK_WIDGET (self->project_list), "projects.search", NULL);
}

/* Leaving the account (signing out, switching) must not drop an unsaved assistant: the
 * assistants page asks first, and the app action runs only once it is fine to leave. */
typedef struct
{
  char     *action;
  GVariant *target;
} LeaveData;

static void
leave_data_free (LeaveData *data)
{
  g_free (data->action);
  g_clear_pointer (&data->target, g_variant_unref);
  g_free (data);
}

static void
on_leave_confirmed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  LeaveData *data = user_data;
  GtkWidget *page = GTK_WIDGET (source);
  GtkRoot *root = gtk_widget_get_root (page);

  if (epsimo_assistants_page_confirm_leave_finish (EPSIMO_ASSISTANTS_PAGE (source), result, NULL)
      && GTK_IS_WINDOW (root))
    {
      GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (root)));

      if (app != NULL)
        g_action_group_activate_action (G_ACTION_GROUP (app), data->action, data->target);
    }
  leave_data_free (data);
}

static void
leave_account_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);
  LeaveData *data;

  /* "win.sign-out" → "sign-out", "win.switch-account" → "switch-account" */
  if (self->assistants_page == NULL)
    {
      /* Never shown: nothing in it can be unsaved. */
      g_action_group_activate_action (G_ACTION_GROUP (self->application),
                                      action_name + strlen ("win."), parameter);
      return;
    }

  data = g_new0 (LeaveData, 1);
  data->action = g_strdup (action_name + strlen ("win."));
  data->target = parameter != NULL ? g_variant_ref (parameter) : NULL;
  epsimo_assistants_page_confirm_leave_async (EPSIMO_ASSISTANTS_PAGE (self->assistants_page),
                                              NULL, on_leave_confirmed, data);
}

/* The overview's "create" buttons name actions of sibling pages; the window hands them on. */
static void
forward_to_section_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  EpsimoWindow *self = EPSIMO_WINDOW (widget);
  g_autofree char *section = g_strndup (action_name, strcspn (action_name, "."));
  GtkWidget *page = ensure_section (self, section);

  if (page == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, section);
  gtk_widget_activate_action (page, action_name, NULL);
}

static void
epsimo_window_constructed (GObject *object)
{
  EpsimoWindow *self = EPSIMO_WINDOW (object);

  G_OBJECT_CLASS (epsimo_window_parent_class)->constructed (object);

  restore_window_state (self);
}

/* Not in constructed(): GtkWindow:application is set only after construction. */
static void
epsimo_window_setup (EpsimoWindow      *self,
                     EpsimoApplication *application)
{
  self->application = application;

  g_signal_connect_object (application, "notify::session",
                           G_CALLBACK (on_application_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::resuming",
                           G_CALLBACK (on_application_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "sign-in-needed",
                           G_CALLBACK (on_sign_in_needed), self, 0);
  g_signal_connect_object (self->main_stack, "notify::transition-running",
                           G_CALLBACK (on_main_transition_running), self, G_CONNECT_SWAPPED);

  for (guint i = 0; i < G_N_ELEMENTS (lazy_sections); i++)
    g_signal_connect_object (G_STRUCT_MEMBER (GtkWidget *, self, lazy_sections[i].slot_offset),
                             "map", G_CALLBACK (on_slot_map), self, 0);
  g_signal_connect_object (self->chat_page, "notify::side-panel-visible",
                           G_CALLBACK (on_side_panel_visible_changed), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->chat_page, "side-panel-visible",
                          self->database_toggle, "active", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->chat_page, "state-changed",
                           G_CALLBACK (on_chat_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (on_visible_section_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->switcher_bar, "notify::reveal",
                           G_CALLBACK (on_switcher_bar_reveal_changed), self,
                           G_CONNECT_SWAPPED);
  on_switcher_bar_reveal_changed (self);
  on_visible_section_changed (self);
  g_signal_connect_object (self->chat_page, "files-dropped",
                           G_CALLBACK (on_chat_files_dropped), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chat_page, "notify::thread",
                           G_CALLBACK (on_thread_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_list, "notify::selected-project",
                           G_CALLBACK (on_selected_project_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_list, "project-activated",
                           G_CALLBACK (on_project_activated), self, G_CONNECT_SWAPPED);

  update_page (self);
  on_selected_project_changed (self);
}

/* Showing the window with its content
 *
 * A start that resumes an account would otherwise paint the "Signing In" page, then the
 * shell with spinners, then the reopened thread: three full frames of a large window, the
 * first two shown for a moment only. The window waits for its content instead (the
 * projects, the project's threads and assistants, the thread's history), and shows once
 * it is in, or after PRESENT_AT_THE_LATEST_MS with whatever it has (the spinners), so a
 * slow network or a keyring to unlock still gets a window within half a second. */

#define PRESENT_AT_THE_LATEST_MS 500

static gboolean
content_is_in (EpsimoWindow *self)
{
  if (epsimo_application_get_resuming (self->application))
    return FALSE;
  /* The sign-in page has nothing to wait for. */
  if (epsimo_application_get_session (self->application) == NULL)
    return TRUE;
  return !epsimo_project_list_get_loading (self->project_list)
         && !epsimo_chat_page_get_loading (EPSIMO_CHAT_PAGE (self->chat_page));
}

static void on_content_state_changed (EpsimoWindow *self);

static void
present_now (EpsimoWindow *self)
{
  g_clear_handle_id (&self->present_timeout_id, g_source_remove);
  g_clear_handle_id (&self->present_check_id, g_source_remove);
  g_signal_handlers_disconnect_by_func (self->application, on_content_state_changed, self);
  g_signal_handlers_disconnect_by_func (self->project_list, on_content_state_changed, self);
  g_signal_handlers_disconnect_by_func (self->chat_page, on_content_state_changed, self);
  gtk_window_present (GTK_WINDOW (self));
}

static gboolean
present_at_the_latest (gpointer user_data)
{
  EpsimoWindow *self = user_data;

  self->present_timeout_id = 0;
  present_now (self);
  return G_SOURCE_REMOVE;
}

static gboolean
check_content (gpointer user_data)
{
  EpsimoWindow *self = user_data;

  self->present_check_id = 0;
  if (content_is_in (self))
    present_now (self);
  return G_SOURCE_REMOVE;
}

/* Checked on the next turn of the main loop: one answer often starts the next request
 * (the projects, then the project's threads) within the same turn. */
static void
on_content_state_changed (EpsimoWindow *self)
{
  if (self->present_check_id == 0)
    self->present_check_id = g_idle_add_full (G_PRIORITY_DEFAULT, check_content, self, NULL);
}

void
epsimo_window_present_when_ready (EpsimoWindow *self)
{
  g_return_if_fail (EPSIMO_IS_WINDOW (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self)) || content_is_in (self))
    {
      present_now (self);
      return;
    }
  if (self->present_timeout_id != 0)
    return;

  self->present_timeout_id = g_timeout_add (PRESENT_AT_THE_LATEST_MS, present_at_the_latest,
                                            self);
  /* The main loop mostly waits for the server meanwhile: the rows' one-time set-up (which
   * loads the icon theme the first frame needs anyway) is paid now rather than in it. */
  epsimo_chat_page_prepare_rows (EPSIMO_CHAT_PAGE (self->chat_page));
  g_signal_connect_object (self->application, "notify::resuming",
                           G_CALLBACK (on_content_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::session",
                           G_CALLBACK (on_content_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_list, "notify::loading",
                           G_CALLBACK (on_content_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chat_page, "notify::loading",
                           G_CALLBACK (on_content_state_changed), self, G_CONNECT_SWAPPED);
}

/* GtkApplication would build the shortcuts window for each window as it is added, before
 * the first frame, when it is rarely asked for: it is built the first time it is shown. The
 * resource is kept off gtk/help-overlay.ui so that GtkApplication does not find it. */
static void
show_help_overlay_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (
        "/com/epsimoagents/Desktop/epsimo-shortcuts-window.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

static void
epsimo_window_dispose (GObject *object)
{
  EpsimoWindow *self = EPSIMO_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_WINDOW);
  /* They went with their slots and the chat page. */
  self->overview_page = NULL;
  self->files_page = NULL;
  self->assistants_page = NULL;
  self->database_page = NULL;
  self->thread_database = NULL;
  self->sign_in_page = NULL;
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_thread, g_free);
  g_clear_handle_id (&self->present_timeout_id, g_source_remove);
  g_clear_handle_id (&self->present_check_id, g_source_remove);

  G_OBJECT_CLASS (epsimo_window_parent_class)->dispose (object);
}

static void
epsimo_window_class_init (EpsimoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = epsimo_window_constructed;
  object_class->dispose = epsimo_window_dispose;
  window_class->close_request = epsimo_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/epsimo-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, sign_in_slot);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, resuming_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, account_menu);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, content);

  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, credits_pill);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, project_list);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, overview_slot);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, files_slot);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, assistants_slot);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, chat_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, database_slot);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, database_toggle);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, new_project_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoWindow, back_button);
  gtk_widget_class_install_action (widget_class, "win.toggle-database", NULL,
                                   toggle_database_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.toggle-database", NULL);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, leave_account_activated);
  gtk_widget_class_install_action (widget_class, "win.switch-account", "s",
                                   leave_account_activated);
  gtk_widget_class_install_action (widget_class, "win.show-section", "s",
                                   show_section_activated);
  gtk_widget_class_install_action (widget_class, "win.new-project", NULL,
                                   new_project_activated);
  gtk_widget_class_install_action (widget_class, "win.refresh-projects", NULL,
                                   refresh_projects_activated);
  gtk_widget_class_install_action (widget_class, "win.search-projects", NULL,
                                   search_projects_activated);
  gtk_widget_class_install_action (widget_class, "files.upload", NULL,
                                   forward_to_section_activated);
  gtk_widget_class_install_action (widget_class, "assistants.new", NULL,
                                   forward_to_section_activated);
  gtk_widget_class_install_action (widget_class, "chat.new-thread", NULL,
                                   forward_to_section_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh-projects", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh-projects", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-projects", NULL);
  gtk_widget_class_install_action (widget_class, "win.buy-credits", NULL, buy_credits_activated);
  /* Features report one-off outcomes (a deletion that failed) through this. */
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_activated);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   show_sidebar_activated);
  gtk_widget_class_install_action (widget_class, "win.show-content", NULL,
                                   show_content_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-sidebar", NULL);
}

static void
load_icon_theme (GTask        *task,
                 gpointer      source_object,
                 gpointer      theme,
                 GCancellable *cancellable)
{
  /* Any lookup loads the whole theme; this icon is one the first frame shows. */
  gtk_icon_theme_has_icon (theme, "edit-copy-symbolic");
  g_task_return_boolean (task, TRUE);
}

/* The display's icon theme, thrown away by GtkSourceView's set-up at the application's
 * start (see there), would otherwise load again on the main thread at the first lookup (12
 * to 15 ms on the way to the first frame). It loads in a worker while the first window is
 * built: once set up, an icon theme may be asked from any thread (gtkicontheme.c), a lookup
 * on the main thread meanwhile waiting for the load rather than doing it twice.
 *
 * Not earlier: the first widget a process makes asks for the accessibility bus's address
 * (GTK 4.8, GtkWidget's init: a synchronous D-Bus call), and with the worker busy on the
 * other core that round trip took 5 to 7 ms instead of 1.5. By the window's own init it is
 * done. */
static void
load_icon_theme_in_worker (void)
{
  static gboolean started;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GTask) task = NULL;

  if (started || display == NULL)
    return;
  started = TRUE;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, load_icon_theme_in_worker);
  g_task_set_task_data (task, g_object_ref (gtk_icon_theme_get_for_display (display)),
                        g_object_unref);
  g_task_run_in_thread (task, load_icon_theme);
}

static void
epsimo_window_init (EpsimoWindow *self)
{
  static const GActionEntry window_actions[] = {
    { "show-help-overlay", show_help_overlay_activated },
  };

  load_icon_theme_in_worker ();
  g_type_ensure (EPSIMO_TYPE_ACCOUNT_MENU);
  g_type_ensure (EPSIMO_TYPE_CREDITS_PILL);
  g_type_ensure (EPSIMO_TYPE_PROJECT_LIST);
  g_type_ensure (EPSIMO_TYPE_CHAT_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Given here rather than in the template: see epsimo_tooltip_set_text(). */
  epsimo_tooltip_set_text (self->new_project_button, _("New Project"));
  epsimo_tooltip_set_text (self->primary_menu_button, _("Main Menu"));
  epsimo_tooltip_set_text (self->database_toggle, _("Thread Database (Ctrl+D)"));
  epsimo_tooltip_set_text (self->back_button, _("Back"));
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);

  self->settings = g_settings_new ("com.epsimoagents.Desktop");

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
