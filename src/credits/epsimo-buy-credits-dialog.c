/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-buy-credits-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-api-error.h"
#include "widgets/epsimo-error-banner.h"

#include "epsimo-buy-credits-dialog.h"
#include "epsimo-credits-money.h"
#include "epsimo-credits-style.h"

/* What the server accepts in one checkout. */
#define MAX_QUANTITY 100000

#define DEFAULT_POLL_INTERVAL_MS 5000
#define DEFAULT_POLL_DURATION_MS (10 * 60 * 1000)

#define DIALOG_KEY "epsimo-buy-credits-dialog"

struct _EpsimoBuyCreditsDialog
{
  AdwWindow          parent_instance;

  EpsimoSession     *session;
  guint              poll_interval;      /* ms */
  guint              poll_duration;      /* ms */

  GCancellable      *cancellable;        /* the checkout, the page opening */
  GCancellable      *poll_cancellable;   /* the balance polls of one wait */
  guint              poll_source;
  gint64             poll_deadline;      /* monotonic µs */
  gboolean           poll_in_flight;
  gboolean           busy;               /* a checkout is being opened */
  gboolean           ready;              /* the template is built */

  gint64             quantity;           /* being bought */
  gint64             baseline_max;       /* thread_max before paying */
  char              *payment_url;

  GtkStack          *stack;
  EpsimoErrorBanner *error_banner;
  GtkWidget         *choice_box;
  GtkCheckButton    *check_100;
  GtkCheckButton    *check_500;
  GtkCheckButton    *check_1000;
  GtkCheckButton    *check_custom;
  AdwActionRow      *row_100;
  AdwActionRow      *row_500;
  AdwActionRow      *row_1000;
  AdwActionRow      *row_custom;
  GtkLabel          *price_100;
  GtkLabel          *price_500;
  GtkLabel          *price_1000;
  GtkLabel          *price_custom;
  GtkSpinButton     *custom_spin;
  GtkLabel          *quantity_error_label;
  GtkLabel          *total_label;
  GtkLabel          *balance_label;
  GtkWidget         *continue_button;
  GtkSpinner        *continue_spinner;
  GtkSpinner        *waiting_spinner;
  GtkLabel          *waiting_message;
  GtkWidget         *check_again_button;
  GtkWidget         *reopen_button;
  GtkWidget         *cancel_button;
  GtkWidget         *done_button;
  AdwStatusPage     *done_page;
  GtkLabel          *done_balance_label;
};

G_DEFINE_FINAL_TYPE (EpsimoBuyCreditsDialog, epsimo_buy_credits_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_POLL_INTERVAL,
  PROP_POLL_DURATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void poll_now (EpsimoBuyCreditsDialog *self);

/* ---- prices ------------------------------------------------------------------------------ */

/* "€0.09 per thread" */
static char *
unit_price_text (gint64 quantity)
{
  g_autofree char *unit = NULL;

  unit = epsimo_credits_format_money (epsimo_credits_price_for_quantity (quantity) / quantity);
  /* Translators: %s is a price, e.g. "€0.10" */
  return g_strdup_printf (_("%s per thread"), unit);
}

static void
show_package_price (AdwActionRow *row,
                    GtkLabel     *price_label,
                    gint64        quantity)
{
  g_autofree char *unit = unit_price_text (quantity);
  g_autofree char *total = epsimo_credits_format_money (epsimo_credits_price_for_quantity (quantity));

  adw_action_row_set_subtitle (row, unit);
  gtk_label_set_text (price_label, total);
}

/* The custom quantity as typed (the spin button only takes it on Enter or focus-out, but
 * the price follows every keystroke), or -1 when it is not a quantity one can buy. */
static gint64
custom_quantity (EpsimoBuyCreditsDialog *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_spin)));
  gint64 quantity;

  if (!g_ascii_string_to_signed (g_strstrip (text), 10, 1, MAX_QUANTITY, &quantity, NULL))
    return -1;
  return quantity;
}

static gint64
selected_quantity (EpsimoBuyCreditsDialog *self)
{
  if (gtk_check_button_get_active (self->check_100))
    return 100;
  if (gtk_check_button_get_active (self->check_500))
    return 500;
  if (gtk_check_button_get_active (self->check_1000))
    return 1000;
  if (gtk_check_button_get_active (self->check_custom))
    return custom_quantity (self);
  return -1;
}

static void
update_continue (EpsimoBuyCreditsDialog *self)
{
  gtk_widget_set_sensitive (self->continue_button,
                            self->session != NULL && !self->busy
                            && selected_quantity (self) > 0);
}

static void
update_prices (EpsimoBuyCreditsDialog *self)
{
  gint64 custom = custom_quantity (self);
  gint64 selected = selected_quantity (self);

  if (custom > 0)
    {
      g_autofree char *unit = unit_price_text (custom);
      g_autofree char *total = epsimo_credits_format_money (
        epsimo_credits_price_for_quantity (custom));

      adw_action_row_set_subtitle (self->row_custom, unit);
      gtk_label_set_text (self->price_custom, total);
    }
  else
    {
      g_autofree char *hint = NULL;

      /* Translators: the range of a custom quantity of threads */
      hint = g_strdup_printf (_("From %d to %d threads"), 1, MAX_QUANTITY);
      adw_action_row_set_subtitle (self->row_custom, hint);
      gtk_label_set_text (self->price_custom, "");
    }

  if (selected > 0)
    {
      g_autofree char *total = epsimo_credits_format_money (
        epsimo_credits_price_for_quantity (selected));

      gtk_label_set_text (self->total_label, total);
    }
  else
    gtk_label_set_text (self->total_label, "—");

  update_continue (self);
}

/* ---- errors ------------------------------------------------------------------------------ */

static void
hide_errors (EpsimoBuyCreditsDialog *self)
{
  epsimo_error_banner_hide (self->error_banner);
  gtk_widget_set_visible (GTK_WIDGET (self->quantity_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->custom_spin), "error");
}

static void
show_banner (EpsimoBuyCreditsDialog *self,
             const char             *message,
             gboolean                can_retry)
{
  epsimo_error_banner_set_message (self->error_banner, message);
  epsimo_error_banner_set_show_retry (self->error_banner, can_retry);
  epsimo_error_banner_reveal (self->error_banner);
}

static void
show_error (EpsimoBuyCreditsDialog *self,
            const GError           *error)
{
  gboolean can_retry = TRUE;

  if (error->domain == EPSIMO_API_ERROR)
    {
      if (error->code == EPSIMO_API_ERROR_VALIDATION
          && g_strcmp0 (epsimo_api_error_get_field (error), "quantity") == 0)
        {
          /* Beside what the user can change, not in a banner far from it. */
          gtk_label_set_text (self->quantity_error_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->quantity_error_label), TRUE);
          if (gtk_check_button_get_active (self->check_custom))
            {
              gtk_widget_add_css_class (GTK_WIDGET (self->custom_spin), "error");
              gtk_widget_grab_focus (GTK_WIDGET (self->custom_spin));
            }
          return;
        }

      /* Trying the same again only helps when the server or the network was the cause. */
      can_retry = error->code == EPSIMO_API_ERROR_NETWORK
                  || error->code == EPSIMO_API_ERROR_SERVER
                  || error->code == EPSIMO_API_ERROR_RATE_LIMITED;
    }

  show_banner (self, error->message, can_retry);
}

/* ---- waiting for the payment ------------------------------------------------------------ */

/* A stopped spinner is hidden, not left as an empty gap. */
static void
set_waiting_spinner (EpsimoBuyCreditsDialog *self,
                     gboolean                spinning)
{
  gtk_spinner_set_spinning (self->waiting_spinner, spinning);
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_spinner), spinning);
}

static void
stop_polling (EpsimoBuyCreditsDialog *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_cancellable_cancel (self->poll_cancellable);
  g_clear_object (&self->poll_cancellable);
  self->poll_in_flight = FALSE;
  set_waiting_spinner (self, FALSE);
}

static gboolean
is_waiting (EpsimoBuyCreditsDialog *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "waiting") == 0;
}

static void
show_waiting_message (EpsimoBuyCreditsDialog *self,
                      const char             *message)
{
  gtk_label_set_text (self->waiting_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_message), message != NULL);
}

static void
show_success (EpsimoBuyCreditsDialog *self,
              EpsimoBalance          *balance)
{
  gint64 max = epsimo_balance_get_thread_max (balance);
  gint64 used = epsimo_balance_get_thread_counter (balance);
  gint64 added = max - self->baseline_max;
  g_autofree char *description = NULL;
  g_autofree char *usage = NULL;

  stop_polling (self);

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%d thread was added to your account.",
                                              "%d threads were added to your account.",
                                              (gulong) MIN (added, G_MAXINT)),
                                 (int) MIN (added, G_MAXINT));
  /* Translators: threads used of the account's maximum, e.g. "12 of 100 threads used" */
  usage = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d thread used",
                                        "%d of %d threads used", (gulong) MIN (max, G_MAXINT)),
                           (int) MIN (used, G_MAXINT), (int) MIN (max, G_MAXINT));

  adw_status_page_set_description (self->done_page, description);
  gtk_label_set_text (self->done_balance_label, usage);
  gtk_stack_set_visible_child_name (self->stack, "done");

  /* The header pill and the account menu follow the session's balance. */
  if (self->session != NULL)
    epsimo_session_refresh_balance (self->session);
}

static void
on_poll_balance (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EpsimoBuyCreditsDialog *self;
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(GError) error = NULL;

  balance = epsimo_credits_service_get_balance_finish (EPSIMO_CREDITS_SERVICE (source),
                                                       result, &error);
  /* Cancelled: the wait ended, or the dialog is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EPSIMO_BUY_CREDITS_DIALOG (user_data);
  self->poll_in_flight = FALSE;

  if (balance == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why the balance could not be read */
      message = g_strdup_printf (_("The balance could not be checked: %s"), error->message);
      show_waiting_message (self, message);
      return;
    }

  if (epsimo_balance_get_thread_max (balance) > self->baseline_max)
    {
      show_success (self, balance);
      return;
    }

  /* A check that worked clears a previous failure; the time-out note stays. */
  if (self->poll_source != 0)
    show_waiting_message (self, NULL);
}

static void
poll_now (EpsimoBuyCreditsDialog *self)
{
  if (!is_waiting (self) || self->poll_in_flight || self->session == NULL)
    return;

  if (self->poll_cancellable == NULL)
    self->poll_cancellable = g_cancellable_new ();
  self->poll_in_flight = TRUE;
  epsimo_credits_service_get_balance_async (epsimo_session_get_credits (self->session),
                                            self->poll_cancellable, on_poll_balance, self);
}

static gboolean
on_poll_tick (gpointer user_data)
{
  EpsimoBuyCreditsDialog *self = EPSIMO_BUY_CREDITS_DIALOG (user_data);

  if (g_get_monotonic_time () >= self->poll_deadline)
    {
      /* No spinner that never stops: after the wait, the user decides. */
      self->poll_source = 0;
      set_waiting_spinner (self, FALSE);
      show_waiting_message (self, _("The payment has not arrived yet. If you have paid, "
                                    "check again in a moment."));
      gtk_widget_set_visible (self->check_again_button, TRUE);
      return G_SOURCE_REMOVE;
    }

  poll_now (self);
  return G_SOURCE_CONTINUE;
}

static void
start_waiting (EpsimoBuyCreditsDialog *self)
{
  stop_polling (self);

  gtk_stack_set_visible_child_name (self->stack, "waiting");
  show_waiting_message (self, NULL);
  gtk_widget_set_visible (self->check_again_button, FALSE);
  set_waiting_spinner (self, TRUE);

  self->poll_cancellable = g_cancellable_new ();
  self->poll_deadline = g_get_monotonic_time () + (gint64) self->poll_duration * 1000;
  self->poll_source = g_timeout_add (self->poll_interval, on_poll_tick, self);
}

static void
on_uri_shown (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GWeakRef *dialog_ref = user_data;
  g_autoptr(EpsimoBuyCreditsDialog) self = g_weak_ref_get (dialog_ref);
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (dialog_ref);
  g_free (dialog_ref);

  if (gtk_show_uri_full_finish (source != NULL ? GTK_WINDOW (source) : NULL, result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || self == NULL)
    return;

  g_debug ("Could not open the payment page: %s", error->message);
  if (is_waiting (self))
    show_waiting_message (self, _("The browser could not be opened. Try opening the payment "
                                  "page again."));
}

static void
show_refused (EpsimoBuyCreditsDialog *self)
{
  stop_polling (self);
  gtk_stack_set_visible_child_name (self->stack, "choose");
  show_banner (self, _("The payment page was refused because its address is not secure."),
               FALSE);
}

static void
open_payment_page (EpsimoBuyCreditsDialog *self)
{
  GWeakRef *dialog_ref;

  /* Checked here too, not only by the service: this is the one place that hands an address
   * from the network to the browser. */
  if (!epsimo_credits_is_payment_url (self->payment_url))
    {
      show_refused (self);
      return;
    }

  /* GTK keeps the window it is given alive until the browser has started. Not this dialog:
   * it may be closed before, and GTK 4.8 then disposes it after its parent is gone, still
   * pointing at that parent. So the parent window, and only a weak reference to us. */
  dialog_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (dialog_ref, self);
  gtk_show_uri_full (gtk_window_get_transient_for (GTK_WINDOW (self)), self->payment_url,
                     GDK_CURRENT_TIME, self->cancellable, on_uri_shown, dialog_ref);
}

/* ---- the checkout ------------------------------------------------------------------------ */

static void
set_busy (EpsimoBuyCreditsDialog *self,
          gboolean                busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->choice_box, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->continue_spinner), busy);
  gtk_spinner_set_spinning (self->continue_spinner, busy);
  update_continue (self);
}

static void
on_checkout (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  EpsimoBuyCreditsDialog *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = epsimo_credits_service_checkout_finish (EPSIMO_CREDITS_SERVICE (source), result,
                                                NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EPSIMO_BUY_CREDITS_DIALOG (user_data);
  set_busy (self, FALSE);

  if (url == NULL)
    {
      show_error (self, error);
      return;
    }

  g_free (self->payment_url);
  self->payment_url = g_steal_pointer (&url);
  if (!epsimo_credits_is_payment_url (self->payment_url))
    {
      show_refused (self);
      return;
    }

  start_waiting (self);
  open_payment_page (self);
}

static void
on_baseline (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  EpsimoBuyCreditsDialog *self;
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(GError) error = NULL;

  balance = epsimo_credits_service_get_balance_finish (EPSIMO_CREDITS_SERVICE (source),
                                                       result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EPSIMO_BUY_CREDITS_DIALOG (user_data);
  if (balance == NULL)
    {
      set_busy (self, FALSE);
      show_error (self, error);
      return;
    }

  /* Read before the payment page exists, so the rise that follows can only be this
   * purchase (or a later one). */
  self->baseline_max = epsimo_balance_get_thread_max (balance);
  epsimo_credits_service_checkout_async (EPSIMO_CREDITS_SERVICE (source), self->quantity,
                                         self->cancellable, on_checkout, self);
}

static void
on_continue (EpsimoBuyCreditsDialog *self)
{
  gint64 quantity;

  if (self->session == NULL || self->busy)
    return;

  if (gtk_check_button_get_active (self->check_custom))
    gtk_spin_button_update (self->custom_spin);
  quantity = selected_quantity (self);
  if (quantity < 1)
    return;

  hide_errors (self);
  self->quantity = quantity;
  set_busy (self, TRUE);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  epsimo_credits_service_get_balance_async (epsimo_session_get_credits (self->session),
                                            self->cancellable, on_baseline, self);
}

/* ---- signal handlers --------------------------------------------------------------------- */

static void
on_choice_toggled (EpsimoBuyCreditsDialog *self)
{
  if (!self->ready)
    return;

  hide_errors (self);
  update_prices (self);
}

static void
on_custom_changed (EpsimoBuyCreditsDialog *self)
{
  if (!self->ready)
    return;

  /* Typing a quantity is choosing it. */
  if (!gtk_check_button_get_active (self->check_custom))
    gtk_check_button_set_active (self->check_custom, TRUE);
  hide_errors (self);
  update_prices (self);
}

static void
on_cancel (EpsimoBuyCreditsDialog *self)
{
  stop_polling (self);
  gtk_stack_set_visible_child_name (self->stack, "choose");
}

static void
on_check_again (EpsimoBuyCreditsDialog *self)
{
  start_waiting (self);
  poll_now (self);
}

static void
on_reopen (EpsimoBuyCreditsDialog *self)
{
  show_waiting_message (self, NULL);
  open_payment_page (self);
}

static void
on_active_changed (EpsimoBuyCreditsDialog *self)
{
  /* Back from the browser: the likeliest moment for the payment to have arrived. */
  if (gtk_window_is_active (GTK_WINDOW (self)))
    poll_now (self);
}

static void
update_balance (EpsimoBuyCreditsDialog *self)
{
  EpsimoBalance *balance = self->session ? epsimo_session_get_balance (self->session) : NULL;
  g_autofree char *usage = NULL;
  gint64 used, max;

  if (balance == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->balance_label), FALSE);
      return;
    }

  used = MIN (epsimo_balance_get_thread_counter (balance), G_MAXINT);
  max = MIN (epsimo_balance_get_thread_max (balance), G_MAXINT);
  /* Translators: threads used of the account's maximum, e.g. "12 of 100 threads used" */
  usage = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d thread used",
                                        "%d of %d threads used", (gulong) max),
                           (int) used, (int) max);
  gtk_label_set_text (self->balance_label, usage);
  gtk_widget_set_visible (GTK_WIDGET (self->balance_label), TRUE);
}

/* ---- public ------------------------------------------------------------------------------ */

GtkWidget *
epsimo_buy_credits_dialog_new (EpsimoSession *session)
{
  g_return_val_if_fail (session == NULL || EPSIMO_IS_SESSION (session), NULL);

  return g_object_new (EPSIMO_TYPE_BUY_CREDITS_DIALOG, "session", session, NULL);
}

EpsimoSession *
epsimo_buy_credits_dialog_get_session (EpsimoBuyCreditsDialog *self)
{
  g_return_val_if_fail (EPSIMO_IS_BUY_CREDITS_DIALOG (self), NULL);

  return self->session;
}

void
epsimo_buy_credits_dialog_set_session (EpsimoBuyCreditsDialog *self,
                                       EpsimoSession          *session)
{
  g_return_if_fail (EPSIMO_IS_BUY_CREDITS_DIALOG (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (self->session == session)
    return;

  /* Another account: nothing of the previous one's purchase goes on. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_polling (self);
  set_busy (self, FALSE);
  hide_errors (self);
  g_clear_pointer (&self->payment_url, g_free);
  gtk_stack_set_visible_child_name (self->stack, "choose");

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, update_balance, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "notify::balance", G_CALLBACK (update_balance), self,
                             G_CONNECT_SWAPPED);

  update_balance (self);
  update_continue (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

guint
epsimo_buy_credits_dialog_get_poll_interval (EpsimoBuyCreditsDialog *self)
{
  g_return_val_if_fail (EPSIMO_IS_BUY_CREDITS_DIALOG (self), 0);

  return self->poll_interval;
}

void
epsimo_buy_credits_dialog_set_poll_interval (EpsimoBuyCreditsDialog *self,
                                             guint                   interval_ms)
{
  g_return_if_fail (EPSIMO_IS_BUY_CREDITS_DIALOG (self));
  g_return_if_fail (interval_ms > 0);

  if (self->poll_interval == interval_ms)
    return;

  self->poll_interval = interval_ms;
  /* A wait in progress keeps its deadline and takes the new pace. */
  if (self->poll_source != 0)
    {
      g_source_remove (self->poll_source);
      self->poll_source = g_timeout_add (self->poll_interval, on_poll_tick, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);
}

guint
epsimo_buy_credits_dialog_get_poll_duration (EpsimoBuyCreditsDialog *self)
{
  g_return_val_if_fail (EPSIMO_IS_BUY_CREDITS_DIALOG (self), 0);

  return self->poll_duration;
}

void
epsimo_buy_credits_dialog_set_poll_duration (EpsimoBuyCreditsDialog *self,
                                             guint                   duration_ms)
{
  g_return_if_fail (EPSIMO_IS_BUY_CREDITS_DIALOG (self));

  if (self->poll_duration == duration_ms)
    return;

  self->poll_duration = duration_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_DURATION]);
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

GtkWidget *
epsimo_credits_show_buy_dialog (GtkWidget     *parent,
                                EpsimoSession *session)
{
  g_autoptr(GtkWidget) existing = NULL;
  GtkWindow *window = NULL;
  GtkWidget *dialog;
  GWeakRef *slot = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (EPSIMO_IS_SESSION (session), NULL);

  if (parent != NULL && GTK_IS_WINDOW (gtk_widget_get_root (parent)))
    window = GTK_WINDOW (gtk_widget_get_root (parent));
  if (window != NULL)
    slot = g_object_get_data (G_OBJECT (window), DIALOG_KEY);
  if (slot != NULL)
    existing = g_weak_ref_get (slot);

  /* One purchase at a time per window: the pill, the menu and the chat notice all land on
   * the same dialog. */
  if (existing != NULL)
    {
      epsimo_buy_credits_dialog_set_session (EPSIMO_BUY_CREDITS_DIALOG (existing), session);
      gtk_window_present (GTK_WINDOW (existing));
      return existing;
    }

  dialog = epsimo_buy_credits_dialog_new (session);
  if (window != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (dialog), window);
      if (gtk_window_get_application (window) != NULL)
        gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (window));

      slot = g_new0 (GWeakRef, 1);
      g_weak_ref_init (slot, dialog);
      g_object_set_data_full (G_OBJECT (window), DIALOG_KEY, slot, free_weak_ref);
    }

  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
epsimo_buy_credits_dialog_dispose (GObject *object)
{
  EpsimoBuyCreditsDialog *self = EPSIMO_BUY_CREDITS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_cancellable_cancel (self->poll_cancellable);
  g_clear_object (&self->poll_cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, update_balance, self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (epsimo_buy_credits_dialog_parent_class)->dispose (object);
}

static void
epsimo_buy_credits_dialog_finalize (GObject *object)
{
  EpsimoBuyCreditsDialog *self = EPSIMO_BUY_CREDITS_DIALOG (object);

  g_free (self->payment_url);

  G_OBJECT_CLASS (epsimo_buy_credits_dialog_parent_class)->finalize (object);
}

static void
epsimo_buy_credits_dialog_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  EpsimoBuyCreditsDialog *self = EPSIMO_BUY_CREDITS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;

    case PROP_POLL_DURATION:
      g_value_set_uint (value, self->poll_duration);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_buy_credits_dialog_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  EpsimoBuyCreditsDialog *self = EPSIMO_BUY_CREDITS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_buy_credits_dialog_set_session (self, g_value_get_object (value));
      break;

    case PROP_POLL_INTERVAL:
      epsimo_buy_credits_dialog_set_poll_interval (self, g_value_get_uint (value));
      break;

    case PROP_POLL_DURATION:
      epsimo_buy_credits_dialog_set_poll_duration (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_buy_credits_dialog_class_init (EpsimoBuyCreditsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_buy_credits_dialog_dispose;
  object_class->finalize = epsimo_buy_credits_dialog_finalize;
  object_class->get_property = epsimo_buy_credits_dialog_get_property;
  object_class->set_property = epsimo_buy_credits_dialog_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         EPSIMO_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_POLL_INTERVAL_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_POLL_DURATION] =
    g_param_spec_uint ("poll-duration", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_POLL_DURATION_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/credits/epsimo-buy-credits-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, error_banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, choice_box);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, check_100);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, check_500);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, check_1000);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, check_custom);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, row_100);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, row_500);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, row_1000);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, row_custom);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, price_100);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, price_500);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, price_1000);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, price_custom);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, custom_spin);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog,
                                        quantity_error_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, total_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, balance_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, continue_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, continue_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, waiting_message);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog,
                                        check_again_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoBuyCreditsDialog,
                                        done_balance_label);
  gtk_widget_class_bind_template_callback (widget_class, on_continue);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);
  gtk_widget_class_bind_template_callback (widget_class, on_check_again);
  gtk_widget_class_bind_template_callback (widget_class, on_reopen);
  gtk_widget_class_bind_template_callback (widget_class, on_active_changed);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
epsimo_buy_credits_dialog_init (EpsimoBuyCreditsDialog *self)
{
  self->poll_interval = DEFAULT_POLL_INTERVAL_MS;
  self->poll_duration = DEFAULT_POLL_DURATION_MS;

  gtk_widget_init_template (GTK_WIDGET (self));
  epsimo_credits_style_ensure (gtk_widget_get_display (GTK_WIDGET (self)));

  /* Prices in code, not in the template: they follow the locale's way of writing money. */
  show_package_price (self->row_100, self->price_100, 100);
  show_package_price (self->row_500, self->price_500, 500);
  show_package_price (self->row_1000, self->price_1000, 1000);

  self->ready = TRUE;
  update_prices (self);
}
