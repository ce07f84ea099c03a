/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-application"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "api/epsimo-api-error.h"

#include "epsimo-application.h"
#include "epsimo-memory.h"
#include "epsimo-settings.h"
#include "epsimo-window.h"
#include "preferences/epsimo-preferences-window.h"

struct _EpsimoApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *api_url_override;

  EpsimoSession  *session;
  EpsimoSession  *resuming;
  GCancellable   *resume_cancellable;
};

G_DEFINE_FINAL_TYPE (EpsimoApplication, epsimo_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_RESUMING,
  N_PROPS
};

enum {
  SIGN_IN_NEEDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

EpsimoApplication *
epsimo_application_new (void)
{
  epsimo_memory_prepare ();
  return g_object_new (EPSIMO_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/com/epsimoagents/Desktop",
                       NULL);
}

GSettings *
epsimo_application_get_settings (EpsimoApplication *self)
{
  g_return_val_if_fail (EPSIMO_IS_APPLICATION (self), NULL);

  return self->settings;
}

/* EPSIMO_API_URL wins over the preference, as it does for the official SDK. */
gboolean
epsimo_application_api_url_from_environment (void)
{
  const char *env = g_getenv ("EPSIMO_API_URL");

  return env != NULL && *env != '\0';
}

char *
epsimo_application_dup_api_url (EpsimoApplication *self)
{
  g_return_val_if_fail (EPSIMO_IS_APPLICATION (self), NULL);

  if (self->api_url_override != NULL)
    return g_strdup (self->api_url_override);

  if (epsimo_application_api_url_from_environment ())
    return g_strdup (g_getenv ("EPSIMO_API_URL"));

  return g_settings_get_string (self->settings, "api-url");
}

void
epsimo_application_set_api_url_override (EpsimoApplication *self,
                                         const char        *url)
{
  g_return_if_fail (EPSIMO_IS_APPLICATION (self));

  g_free (self->api_url_override);
  self->api_url_override = g_strdup (url);
}

/* ---- the signed-in account ------------------------------------------------------------ */

EpsimoSession *
epsimo_application_get_session (EpsimoApplication *self)
{
  g_return_val_if_fail (EPSIMO_IS_APPLICATION (self), NULL);
  return self->session;
}

gboolean
epsimo_application_get_resuming (EpsimoApplication *self)
{
  g_return_val_if_fail (EPSIMO_IS_APPLICATION (self), FALSE);
  return self->resuming != NULL;
}

static void
set_resuming (EpsimoApplication *self,
              EpsimoSession     *resuming)
{
  gboolean was = self->resuming != NULL;

  g_set_object (&self->resuming, resuming);
  if (was != (resuming != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESUMING]);
}

/* Asks the windows to show the sign-in page for @server and @email, saying why. */
static void
request_sign_in (EpsimoApplication *self,
                 const char        *server,
                 const char        *email,
                 const char        *message)
{
  g_signal_emit (self, signals[SIGN_IN_NEEDED], 0, server, email, message);
}

static void
on_session_expired (EpsimoSession     *session,
                    EpsimoApplication *self)
{
  g_autofree char *server = g_strdup (epsimo_session_get_server (session));
  g_autofree char *email = g_strdup (epsimo_session_get_email (session));

  /* The place (last project and thread) stays in the settings for after sign-in. */
  epsimo_application_set_session (self, NULL);
  request_sign_in (self, server, email, _("Your session has ended. Please sign in again."));
}

void
epsimo_application_set_session (EpsimoApplication *self,
                                EpsimoSession     *session)
{
  g_return_if_fail (EPSIMO_IS_APPLICATION (self));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "expired", G_CALLBACK (on_session_expired), self, 0);
      epsimo_settings_remember (self->settings, "last-server",
                                epsimo_session_get_server (session));
      epsimo_settings_remember (self->settings, "last-email",
                                epsimo_session_get_email (session));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

typedef struct
{
  EpsimoApplication *app;
  char              *server;
  char              *email;
} ResumeData;

static void
on_resumed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  EpsimoSession *session = EPSIMO_SESSION (source);
  EpsimoApplication *self;

  if (!epsimo_session_resume_finish (session, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EPSIMO_APPLICATION (user_data);
  if (self->resuming != session)
    return;

  if (error != NULL)
    {
      g_autofree char *server = g_strdup (epsimo_session_get_server (session));
      g_autofree char *email = g_strdup (epsimo_session_get_email (session));
      const char *message = error->message;

      /* Nothing stored is no failure: the user just signs in. */
      if (g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED))
        message = NULL;
      set_resuming (self, NULL);
      request_sign_in (self, server, email, message);
      return;
    }

  /* The session first: while neither was set, the window would show (and build) the
   * sign-in page for an instant. */
  epsimo_application_set_session (self, session);
  set_resuming (self, NULL);
}

/* Signs in silently as (server, email) from the keyring; @project_id is the project the
 * window will reopen, if known. */
static void
resume_account (EpsimoApplication *self,
                const char        *server,
                const char        *email,
                const char        *project_id,
                const char        *thread_id)
{
  g_autoptr(EpsimoSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->resume_cancellable);
  g_clear_object (&self->resume_cancellable);

  session = epsimo_session_new (server, &error);
  if (session == NULL)
    {
      request_sign_in (self, NULL, email, error->message);
      return;
    }

  self->resume_cancellable = g_cancellable_new ();
  set_resuming (self, session);
  epsimo_session_resume_async (session, email, project_id, thread_id, self->resume_cancellable,
                               on_resumed, self);
}

static void
sign_out_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  g_autoptr(EpsimoSession) session = NULL;
  g_autofree char *email = NULL;

  if (self->session == NULL)
    return;

  session = g_object_ref (self->session);
  email = g_strdup (epsimo_session_get_email (session));
  epsimo_session_sign_out_async (session, NULL, NULL, NULL);
  g_settings_set_string (self->settings, "last-email", "");
  epsimo_application_set_session (self, NULL);
  request_sign_in (self, epsimo_session_get_server (session), email, NULL);
}

static void
switch_account_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (parameter, NULL), "\t", 2);

  if (g_strv_length (parts) != 2)
    return;

  /* The current account stays usable until the other one is in. */
  resume_account (self, parts[0], parts[1], NULL, NULL);
}

/* A notification's action: "PROJECT_ID\tTHREAD_ID". */
static void
open_thread_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (parameter, NULL), "\t", 2);
  GtkWindow *window;

  if (g_strv_length (parts) != 2 || self->session == NULL)
    return;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (EPSIMO_IS_WINDOW (window))
    epsimo_window_open_thread (EPSIMO_WINDOW (window), parts[0], parts[1]);
}

static void
add_account_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EpsimoApplication *self = user_data;

  request_sign_in (self, NULL, NULL, NULL);
}

static void
apply_color_scheme (EpsimoApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT,
    ADW_COLOR_SCHEME_FORCE_LIGHT,
    ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint value = g_settings_get_enum (self->settings, "color-scheme");

  if (value >= G_N_ELEMENTS (schemes))
    value = 0;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[value]);
}

static void
on_color_scheme_changed (GSettings         *settings,
                         const char        *key,
                         EpsimoApplication *self)
{
  apply_color_scheme (self);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window lets it save its state, as a click on its close button would. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_application_quit (G_APPLICATION (self));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  EpsimoPreferencesWindow *preferences;

  preferences = epsimo_preferences_window_new (self);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  EpsimoApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Epsimo Desktop developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Epsimo"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Epsimo Desktop developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_BUGREPORTS,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Epsimo Desktop developers",
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        "transient-for", parent,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "sign-out", sign_out_activated },
  { "add-account", add_account_activated },
  { "switch-account", switch_account_activated, "s" },
  { "open-thread", open_thread_activated, "s" },
};

/* The last account is reopened unless EPSIMO_API_URL names another server for this run. */
static gboolean
last_account_applies (EpsimoApplication *self,
                      const char        *last_server)
{
  g_autofree char *current = NULL;
  g_autofree char *normalized = NULL;

  if (!epsimo_application_api_url_from_environment ())
    return TRUE;

  current = epsimo_application_dup_api_url (self);
  normalized = epsimo_client_normalize_base_url (current, NULL);
  return g_strcmp0 (normalized, last_server) == 0;
}

static void
epsimo_application_startup (GApplication *application)
{
  EpsimoApplication *self = EPSIMO_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  /* What GtkApplication sets when it finds gtk/help-overlay.ui: the shortcuts window is
   * built by the window on first use instead (see epsimo-window.c). */
  static const char *help_overlay_accels[] = { "<Control>question", NULL };

  /* Sign in again as whoever was signed in last, if the keyring has them. Started before
   * GTK's own start-up (about 200 ms: the display, GL, fonts) and the window's building,
   * which the keyring's answer, from its own thread, overlaps: the first requests then go
   * out at the first turn of the main loop. */
  {
    g_autofree char *email = g_settings_get_string (self->settings, "last-email");
    g_autofree char *server = g_settings_get_string (self->settings, "last-server");
    g_autofree char *project = g_settings_get_string (self->settings, "last-project");
    g_autofree char *thread = g_settings_get_string (self->settings, "last-thread");

    if (*email != '\0' && *server != '\0' && last_account_applies (self, server))
      resume_account (self, server, email, project, thread);
  }

  G_APPLICATION_CLASS (epsimo_application_parent_class)->startup (application);
  /* As gnome-text-editor does. Its set-up adds a search path to the display's icon theme,
   * which throws away the theme GTK's start-up had loaded in a thread: the window loads it
   * again in a worker (epsimo-window.c). */
  gtk_source_init ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_overlay_accels);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed), self, 0);
  apply_color_scheme (self);
}

static void
epsimo_application_activate (GApplication *application)
{
  EpsimoApplication *self = EPSIMO_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_window_present (window);
  else
    epsimo_window_present_when_ready (epsimo_window_new (self));
}

static void
epsimo_application_dispose (GObject *object)
{
  EpsimoApplication *self = EPSIMO_APPLICATION (object);

  g_cancellable_cancel (self->resume_cancellable);
  g_clear_object (&self->resume_cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->resuming);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->api_url_override, g_free);

  G_OBJECT_CLASS (epsimo_application_parent_class)->dispose (object);
}

static void
epsimo_application_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EpsimoApplication *self = EPSIMO_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_RESUMING:
      g_value_set_boolean (value, self->resuming != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_application_class_init (EpsimoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = epsimo_application_dispose;
  object_class->get_property = epsimo_application_get_property;
  app_class->startup = epsimo_application_startup;
  app_class->activate = epsimo_application_activate;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESUMING] =
    g_param_spec_boolean ("resuming", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoApplication::sign-in-needed:
   * @server: (nullable): the server to sign in to, or NULL for the usual one
   * @email: (nullable): the address to fill in
   * @message: (nullable): why, shown on the sign-in page
   *
   * No account is signed in any more, or the user asked to add one: windows show the
   * sign-in page.
   */
  signals[SIGN_IN_NEEDED] =
    g_signal_new ("sign-in-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
epsimo_application_init (EpsimoApplication *self)
{
  self->settings = g_settings_new ("com.epsimoagents.Desktop");
}
