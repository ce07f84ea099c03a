/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-credits-pill"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-credits-pill.h"
#include "epsimo-credits-style.h"

/* Fewer threads left than this, or more than 90 % used, and the pill turns amber. */
#define LOW_THREADS 10

struct _EpsimoCreditsPill
{
  GtkButton      parent_instance;

  EpsimoSession *session;
  GtkWindow     *window;   /* the root we watch for focus, not owned */
  gboolean       window_left;   /* the window has lost the focus since it was watched */
};

G_DEFINE_FINAL_TYPE (EpsimoCreditsPill, epsimo_credits_pill, GTK_TYPE_BUTTON)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (EpsimoCreditsPill *self)
{
  EpsimoBalance *balance = self->session ? epsimo_session_get_balance (self->session) : NULL;
  g_autofree char *label = NULL;
  g_autofree char *words = NULL;
  gint64 used, max, left;

  gtk_widget_remove_css_class (GTK_WIDGET (self), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "error");

  if (balance == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  /* Clamped, so the "% used" sum below cannot overflow whatever the server sends. */
  used = MIN (epsimo_balance_get_thread_counter (balance), G_MAXINT);
  max = MIN (epsimo_balance_get_thread_max (balance), G_MAXINT);
  left = epsimo_balance_get_threads_remaining (balance);

  /* Translators: the threads used of the account's maximum, shown in a small pill in the
   * header, e.g. "12 / 100" */
  label = g_strdup_printf (_("%d / %d"), (int) used, (int) max);
  /* Translators: threads used of the account's maximum, e.g. "12 of 100 threads used" */
  words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d thread used",
                                        "%d of %d threads used", (gulong) max),
                           (int) used, (int) max);

  gtk_button_set_label (GTK_BUTTON (self), label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), words);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, words,
                                  -1);

  /* "More than 90 % used", in whole numbers. */
  if (left <= 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else if (left < LOW_THREADS || used * 10 > max * 9)
    gtk_widget_add_css_class (GTK_WIDGET (self), "warning");

  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
on_balance_changed (EpsimoCreditsPill *self)
{
  update (self);
}

static void
on_window_active_changed (EpsimoCreditsPill *self,
                          GParamSpec        *pspec,
                          GtkWindow         *window)
{
  /* Coming back to the window is when the figure is most likely stale: threads used in
   * another client, or bought in the browser. Its first focus is no coming back: the figure
   * was asked as the account was opened, a moment before. */
  if (!gtk_window_is_active (window))
    self->window_left = TRUE;
  else if (self->window_left && self->session != NULL)
    epsimo_session_refresh_balance (self->session);
}

static void
watch_window (EpsimoCreditsPill *self,
              GtkWindow         *window)
{
  if (self->window == window)
    return;

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_func (self->window, on_window_active_changed, self);
  self->window = window;
  self->window_left = FALSE;
  if (window != NULL)
    g_signal_connect_object (window, "notify::is-active",
                             G_CALLBACK (on_window_active_changed), self, G_CONNECT_SWAPPED);
}

static void
epsimo_credits_pill_root (GtkWidget *widget)
{
  EpsimoCreditsPill *self = EPSIMO_CREDITS_PILL (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (epsimo_credits_pill_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  watch_window (self, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
}

static void
epsimo_credits_pill_unroot (GtkWidget *widget)
{
  watch_window (EPSIMO_CREDITS_PILL (widget), NULL);

  GTK_WIDGET_CLASS (epsimo_credits_pill_parent_class)->unroot (widget);
}

GtkWidget *
epsimo_credits_pill_new (void)
{
  return g_object_new (EPSIMO_TYPE_CREDITS_PILL, NULL);
}

void
epsimo_credits_pill_set_session (EpsimoCreditsPill *self,
                                 EpsimoSession     *session)
{
  g_return_if_fail (EPSIMO_IS_CREDITS_PILL (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, on_balance_changed, self);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::balance", G_CALLBACK (on_balance_changed),
                               self, G_CONNECT_SWAPPED);
      if (epsimo_session_get_balance (session) == NULL)
        epsimo_session_refresh_balance (session);
    }

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EpsimoSession *
epsimo_credits_pill_get_session (EpsimoCreditsPill *self)
{
  g_return_val_if_fail (EPSIMO_IS_CREDITS_PILL (self), NULL);

  return self->session;
}

static void
epsimo_credits_pill_dispose (GObject *object)
{
  EpsimoCreditsPill *self = EPSIMO_CREDITS_PILL (object);

  watch_window (self, NULL);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, on_balance_changed, self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (epsimo_credits_pill_parent_class)->dispose (object);
}

static void
epsimo_credits_pill_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EpsimoCreditsPill *self = EPSIMO_CREDITS_PILL (object);

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
epsimo_credits_pill_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EpsimoCreditsPill *self = EPSIMO_CREDITS_PILL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_credits_pill_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_credits_pill_class_init (EpsimoCreditsPillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_credits_pill_dispose;
  object_class->get_property = epsimo_credits_pill_get_property;
  object_class->set_property = epsimo_credits_pill_set_property;

  widget_class->root = epsimo_credits_pill_root;
  widget_class->unroot = epsimo_credits_pill_unroot;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         EPSIMO_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/credits/epsimo-credits-pill.ui");
}

static void
epsimo_credits_pill_init (EpsimoCreditsPill *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  epsimo_credits_style_ensure (gtk_widget_get_display (GTK_WIDGET (self)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Buy more threads"),
                                  -1);
}
