/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-account-menu"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-account-menu.h"
#include "epsimo-account-store.h"
#include "widgets/epsimo-tooltip.h"

struct _EpsimoAccountMenu
{
  AdwBin          parent_instance;

  EpsimoSession  *session;
  GCancellable   *cancellable;

  GtkMenuButton  *button;
  GtkPopover     *popover;
  GtkLabel       *email_label;
  GtkLabel       *server_label;
  GtkLabel       *tier_label;
  GtkLabel       *usage_label;
  GtkLevelBar    *usage_bar;
  GtkWidget      *accounts_heading;
  GtkListBox     *accounts_list;
};

G_DEFINE_FINAL_TYPE (EpsimoAccountMenu, epsimo_account_menu, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_usage (EpsimoAccountMenu *self)
{
  EpsimoBalance *balance = self->session ? epsimo_session_get_balance (self->session) : NULL;
  const char *tier;

  if (balance == NULL)
    {
      gtk_label_set_text (self->tier_label, "");
      gtk_label_set_text (self->usage_label, _("Usage not known yet"));
      gtk_level_bar_set_value (self->usage_bar, 0);
      return;
    }

  tier = epsimo_balance_get_subscription_tier (balance);
  if (tier != NULL && *tier != '\0')
    {
      g_autofree char *capitalized = g_strdup (tier);
      g_autofree char *text = NULL;

      capitalized[0] = g_ascii_toupper (capitalized[0]);
      /* Translators: %s is the subscription tier, e.g. "Standard" */
      text = g_strdup_printf (_("%s plan"), capitalized);
      gtk_label_set_text (self->tier_label, text);
    }
  else
    gtk_label_set_text (self->tier_label, "");

  {
    gint64 used = epsimo_balance_get_thread_counter (balance);
    gint64 max = epsimo_balance_get_thread_max (balance);
    g_autofree char *usage = NULL;

    /* Translators: threads used of the account's maximum, e.g. "12 of 100 threads used" */
    usage = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d thread used",
                                          "%d of %d threads used", (gulong) max),
                             (int) used, (int) max);
    gtk_label_set_text (self->usage_label, usage);
    gtk_level_bar_set_value (self->usage_bar, max > 0 ? MIN (1.0, (double) used / max) : 0);
  }
}

static void
on_balance_changed (EpsimoAccountMenu *self)
{
  update_usage (self);
}

static GtkWidget *
account_row_new (EpsimoAccountId *id)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *target = g_strdup_printf ("%s\t%s", id->server, id->email);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), id->email);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), id->server);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.switch-account");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", target);
  epsimo_tooltip_set_text (row, _("Switch to this account"));
  return row;
}

static void
on_accounts_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EpsimoAccountMenu *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  GtkWidget *child;
  guint shown = 0;

  accounts = epsimo_account_store_list_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = EPSIMO_ACCOUNT_MENU (user_data);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list))) != NULL)
    gtk_list_box_remove (self->accounts_list, child);

  if (accounts == NULL)
    {
      g_debug ("Could not list the accounts of the keyring: %s", error->message);
      accounts = g_ptr_array_new ();
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      EpsimoAccountId *id = accounts->pdata[i];

      /* The account in use is shown above, not as one to switch to. */
      if (self->session != NULL
          && g_strcmp0 (id->server, epsimo_session_get_server (self->session)) == 0
          && g_strcmp0 (id->email, epsimo_session_get_email (self->session)) == 0)
        continue;

      gtk_list_box_append (self->accounts_list, account_row_new (id));
      shown++;
    }

  gtk_widget_set_visible (self->accounts_heading, shown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_list), shown > 0);
}

static void
on_popover_show (EpsimoAccountMenu *self)
{
  if (self->session != NULL)
    epsimo_session_refresh_balance (self->session);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* The callback only runs uncancelled, and dispose cancels: no ref needed. */
  epsimo_account_store_list_async (self->cancellable, on_accounts_listed, self);
}

static void
on_account_activated (EpsimoAccountMenu *self,
                      GtkListBoxRow     *row)
{
  gtk_popover_popdown (self->popover);
}

static void
on_action_clicked (EpsimoAccountMenu *self)
{
  gtk_popover_popdown (self->popover);
}

void
epsimo_account_menu_set_session (EpsimoAccountMenu *self,
                                 EpsimoSession     *session)
{
  g_return_if_fail (EPSIMO_IS_ACCOUNT_MENU (self));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::balance", G_CALLBACK (on_balance_changed),
                               self, G_CONNECT_SWAPPED);
      gtk_label_set_text (self->email_label, epsimo_session_get_email (session));
      gtk_label_set_text (self->server_label, epsimo_session_get_server (session));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), epsimo_session_get_email (session));
    }
  update_usage (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EpsimoSession *
epsimo_account_menu_get_session (EpsimoAccountMenu *self)
{
  g_return_val_if_fail (EPSIMO_IS_ACCOUNT_MENU (self), NULL);
  return self->session;
}

void
epsimo_account_menu_popup (EpsimoAccountMenu *self)
{
  g_return_if_fail (EPSIMO_IS_ACCOUNT_MENU (self));
  gtk_menu_button_popup (self->button);
}

static void
epsimo_account_menu_dispose (GObject *object)
{
  EpsimoAccountMenu *self = EPSIMO_ACCOUNT_MENU (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (epsimo_account_menu_parent_class)->dispose (object);
}

static void
epsimo_account_menu_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EpsimoAccountMenu *self = EPSIMO_ACCOUNT_MENU (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_account_menu_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EpsimoAccountMenu *self = EPSIMO_ACCOUNT_MENU (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_account_menu_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_account_menu_class_init (EpsimoAccountMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_account_menu_dispose;
  object_class->get_property = epsimo_account_menu_get_property;
  object_class->set_property = epsimo_account_menu_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/account/epsimo-account-menu.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, popover);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, email_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, server_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, tier_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, usage_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, usage_bar);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, accounts_heading);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAccountMenu, accounts_list);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_account_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_action_clicked);
}

static void
epsimo_account_menu_init (EpsimoAccountMenu *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Given here rather than in the template: see epsimo_tooltip_set_text(). */
  epsimo_tooltip_set_text (GTK_WIDGET (self->button), _("Account"));
  gtk_widget_set_visible (self->accounts_heading, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_list), FALSE);
}
