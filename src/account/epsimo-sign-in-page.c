/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-api-error.h"

#include "epsimo-sign-in-page.h"

#define MIN_PASSWORD_LENGTH 8

typedef enum
{
  MODE_SIGN_IN,
  MODE_SIGN_UP,
} Mode;

struct _EpsimoSignInPage
{
  AdwBin           parent_instance;

  Mode             mode;
  char            *server;
  EpsimoSession   *pending;
  GCancellable    *cancellable;

  GtkWidget       *cancel_button;
  AdwStatusPage   *status_page;
  AdwEntryRow     *email_row;
  AdwEntryRow     *password_row;
  GtkLabel        *hint_label;
  GtkSwitch       *remember_switch;
  AdwExpanderRow  *server_row;
  AdwEntryRow     *server_entry;
  GtkLabel        *message_label;
  GtkWidget       *primary_button;
  GtkSpinner      *spinner;
  GtkLabel        *primary_label;
  GtkButton       *mode_button;
};

G_DEFINE_FINAL_TYPE (EpsimoSignInPage, epsimo_sign_in_page, ADW_TYPE_BIN)

enum {
  SIGNED_IN,
  CANCELLED,
  SERVER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* An address with something before and after the @, and a dot in the domain: the server
 * has the last word, this only catches typing slips early. */
static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *dot;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL || strchr (text, ' ') != NULL)
    return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

static gboolean
is_busy (EpsimoSignInPage *self)
{
  return self->pending != NULL;
}

static void
set_row_error (AdwEntryRow *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* Checks the form as the user types: a row turns red only once it holds something wrong,
 * and the hint says what is expected. */
static void
update_form (EpsimoSignInPage *self)
{
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  gboolean email_ok = looks_like_email (email);
  gboolean password_ok;
  const char *hint = NULL;

  if (self->mode == MODE_SIGN_UP)
    password_ok = g_utf8_strlen (password, -1) >= MIN_PASSWORD_LENGTH;
  else
    password_ok = *password != '\0';

  set_row_error (self->email_row, *email != '\0' && !email_ok);
  set_row_error (self->password_row,
                 self->mode == MODE_SIGN_UP && *password != '\0' && !password_ok);

  if (*email != '\0' && !email_ok)
    hint = _("Enter an e-mail address such as name@example.com.");
  else if (self->mode == MODE_SIGN_UP && *password != '\0' && !password_ok)
    hint = _("The password needs at least 8 characters.");

  gtk_label_set_text (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);
  gtk_widget_set_sensitive (self->primary_button, email_ok && password_ok && !is_busy (self));
}

static void
update_mode (EpsimoSignInPage *self)
{
  if (self->mode == MODE_SIGN_IN)
    {
      adw_status_page_set_description (
        self->status_page, _("Sign in to manage your projects, assistants and conversations."));
      gtk_label_set_text_with_mnemonic (self->primary_label, _("_Sign In"));
      gtk_button_set_label (self->mode_button, _("C_reate an Account…"));
    }
  else
    {
      adw_status_page_set_description (
        self->status_page, _("Create an account to start building assistants."));
      gtk_label_set_text_with_mnemonic (self->primary_label, _("C_reate Account"));
      gtk_button_set_label (self->mode_button, _("I _Already Have an Account"));
    }
  update_form (self);
}

static void
show_message (EpsimoSignInPage *self,
              const char       *message,
              gboolean          is_error)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "success");
    }
}

void
epsimo_sign_in_page_show_error (EpsimoSignInPage *self,
                                const char       *message)
{
  g_return_if_fail (EPSIMO_IS_SIGN_IN_PAGE (self));
  show_message (self, message, TRUE);
}

static void
set_busy (EpsimoSignInPage *self,
          EpsimoSession    *pending)
{
  g_set_object (&self->pending, pending);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), pending != NULL);
  gtk_spinner_set_spinning (self->spinner, pending != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), pending == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), pending == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), pending == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_button), pending == NULL);
  update_form (self);
}

/* The reason a sign-in failed, in the words a user needs to act on it. */
static char *
describe_error (EpsimoSignInPage *self,
                const GError     *error)
{
  if (error->domain == EPSIMO_API_ERROR)
    {
      switch (error->code)
        {
        case EPSIMO_API_ERROR_UNAUTHORIZED:
          return g_strdup (_("The e-mail address or the password is wrong."));
        case EPSIMO_API_ERROR_FORBIDDEN:
          return g_strdup_printf ("%s %s",
                                  _("Your e-mail address is not verified yet."),
                                  _("Open the link in the message you received, then sign in."));
        case EPSIMO_API_ERROR_RATE_LIMITED:
          return g_strdup (_("Too many attempts. Wait a minute, then try again."));
        case EPSIMO_API_ERROR_CONFLICT:
          return g_strdup (_("An account with this e-mail address already exists. Sign in instead."));
        default:
          break;
        }
    }
  return g_strdup (error->message);
}

static void
finish_signed_in (EpsimoSignInPage *self,
                  EpsimoSession    *session)
{
  g_autoptr(EpsimoSession) keep = g_object_ref (session);

  set_busy (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_message (self, NULL, FALSE);
  g_signal_emit (self, signals[SIGNED_IN], 0, keep);
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  EpsimoSignInPage *self = user_data;
  EpsimoSession *session = EPSIMO_SESSION (source);
  g_autoptr(GError) error = NULL;

  if (!epsimo_session_sign_in_finish (session, result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = describe_error (self, error);
      set_busy (self, NULL);
      show_message (self, message, TRUE);
      return;
    }

  finish_signed_in (self, session);
}

static void
on_signed_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  EpsimoSignInPage *self = user_data;
  EpsimoSession *session = EPSIMO_SESSION (source);
  g_autoptr(GError) error = NULL;
  gboolean needs_verification = FALSE;

  if (!epsimo_session_sign_up_finish (session, result, &needs_verification, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = describe_error (self, error);
      set_busy (self, NULL);
      show_message (self, message, TRUE);
      return;
    }

  if (needs_verification)
    {
      /* The account exists but cannot be used yet: say so, and be ready to sign in. */
      set_busy (self, NULL);
      self->mode = MODE_SIGN_IN;
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      update_mode (self);
      show_message (self,
                    _("Your account was created. Open the link in the e-mail you received, "
                      "then sign in."),
                    FALSE);
      return;
    }

  finish_signed_in (self, session);
}

static void
on_primary_clicked (EpsimoSignInPage *self)
{
  g_autoptr(EpsimoSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *email, *password;
  gboolean remember;

  if (is_busy (self) || !gtk_widget_get_sensitive (self->primary_button))
    return;

  session = epsimo_session_new (self->server, &error);
  if (session == NULL)
    {
      show_message (self, error->message, TRUE);
      adw_expander_row_set_expanded (self->server_row, TRUE);
      return;
    }

  email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  remember = gtk_switch_get_active (self->remember_switch);

  show_message (self, NULL, FALSE);
  set_busy (self, session);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->mode == MODE_SIGN_IN)
    epsimo_session_sign_in_async (session, email, password, remember, self->cancellable,
                                  on_signed_in, self);
  else
    epsimo_session_sign_up_async (session, email, password, remember, self->cancellable,
                                  on_signed_up, self);
}

static void
on_mode_clicked (EpsimoSignInPage *self)
{
  self->mode = self->mode == MODE_SIGN_IN ? MODE_SIGN_UP : MODE_SIGN_IN;
  show_message (self, NULL, FALSE);
  update_mode (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
}

static void
on_cancel_clicked (EpsimoSignInPage *self)
{
  g_cancellable_cancel (self->cancellable);
  set_busy (self, NULL);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
on_form_changed (EpsimoSignInPage *self)
{
  update_form (self);
}

static void
on_server_changed (EpsimoSignInPage *self)
{
  set_row_error (self->server_entry, FALSE);
}

static void
on_server_apply (EpsimoSignInPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  normalized = epsimo_client_normalize_base_url (
    gtk_editable_get_text (GTK_EDITABLE (self->server_entry)), &error);
  if (normalized == NULL)
    {
      set_row_error (self->server_entry, TRUE);
      show_message (self, error->message, TRUE);
      return;
    }

  show_message (self, NULL, FALSE);
  epsimo_sign_in_page_set_server (self, normalized);
  g_signal_emit (self, signals[SERVER_CHANGED], 0, normalized);
}

void
epsimo_sign_in_page_set_server (EpsimoSignInPage *self,
                                const char       *server)
{
  g_return_if_fail (EPSIMO_IS_SIGN_IN_PAGE (self));

  g_free (self->server);
  self->server = g_strdup (server);
  adw_expander_row_set_subtitle (self->server_row, server);
  gtk_editable_set_text (GTK_EDITABLE (self->server_entry), server);
  set_row_error (self->server_entry, FALSE);
}

const char *
epsimo_sign_in_page_get_server (EpsimoSignInPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_SIGN_IN_PAGE (self), NULL);
  return self->server;
}

void
epsimo_sign_in_page_set_email (EpsimoSignInPage *self,
                               const char       *email)
{
  g_return_if_fail (EPSIMO_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email != NULL ? email : "");
}

void
epsimo_sign_in_page_set_can_cancel (EpsimoSignInPage *self,
                                    gboolean          can_cancel)
{
  g_return_if_fail (EPSIMO_IS_SIGN_IN_PAGE (self));
  gtk_widget_set_visible (self->cancel_button, can_cancel);
}

void
epsimo_sign_in_page_reset (EpsimoSignInPage *self)
{
  g_return_if_fail (EPSIMO_IS_SIGN_IN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  set_busy (self, NULL);
  self->mode = MODE_SIGN_IN;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_message (self, NULL, FALSE);
  update_mode (self);
}

static void
epsimo_sign_in_page_map (GtkWidget *widget)
{
  EpsimoSignInPage *self = EPSIMO_SIGN_IN_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (epsimo_sign_in_page_parent_class)->map (widget);

  /* Enter in either row signs in. */
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->primary_button);

  gtk_widget_grab_focus (widget);
}

/* The first field left to fill. */
static gboolean
epsimo_sign_in_page_grab_focus (GtkWidget *widget)
{
  EpsimoSignInPage *self = EPSIMO_SIGN_IN_PAGE (widget);

  if (*gtk_editable_get_text (GTK_EDITABLE (self->email_row)) == '\0')
    return gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  return gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
epsimo_sign_in_page_dispose (GObject *object)
{
  EpsimoSignInPage *self = EPSIMO_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending);

  G_OBJECT_CLASS (epsimo_sign_in_page_parent_class)->dispose (object);
}

static void
epsimo_sign_in_page_finalize (GObject *object)
{
  EpsimoSignInPage *self = EPSIMO_SIGN_IN_PAGE (object);

  g_free (self->server);

  G_OBJECT_CLASS (epsimo_sign_in_page_parent_class)->finalize (object);
}

static void
epsimo_sign_in_page_class_init (EpsimoSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_sign_in_page_dispose;
  object_class->finalize = epsimo_sign_in_page_finalize;
  widget_class->map = epsimo_sign_in_page_map;
  widget_class->grab_focus = epsimo_sign_in_page_grab_focus;

  /**
   * EpsimoSignInPage::signed-in:
   * @session: the signed-in session, to adopt
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, EPSIMO_TYPE_SESSION);
  /* The user gave up adding another account. */
  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The user chose another server (already validated). */
  signals[SERVER_CHANGED] =
    g_signal_new ("server-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/account/epsimo-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, server_entry);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, primary_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, primary_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSignInPage, mode_button);
  gtk_widget_class_bind_template_callback (widget_class, on_primary_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_server_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_server_apply);
}

static void
epsimo_sign_in_page_init (EpsimoSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->mode = MODE_SIGN_IN;
  update_mode (self);
}
