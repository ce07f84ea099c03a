/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-error-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-error-banner.h"

struct _EpsimoErrorBanner
{
  AdwBin       parent_instance;

  GtkRevealer *revealer;
  GtkWidget   *bar;
  GtkLabel    *label;
  GtkWidget   *retry_button;
};

G_DEFINE_FINAL_TYPE (EpsimoErrorBanner, epsimo_error_banner, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_REVEALED,
  PROP_SHOW_RETRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* libadwaita 1.2 has no banner style, and the application's style.css belongs to the shell:
 * the widget brings its own few rules, once per display, at the lowest application priority
 * so a theme or the app can still override them. */
static const char banner_css[] =
  ".epsimo-error-banner {"
  "  padding: 6px 12px;"
  "  background-color: @error_bg_color;"
  "  color: @error_fg_color;"
  "}"
  ".epsimo-error-banner > label { font-weight: bold; }"
  ".epsimo-error-banner > button {"
  "  background-color: alpha(currentColor, 0.15);"
  "  color: inherit;"
  "}"
  ".epsimo-error-banner > button:hover { background-color: alpha(currentColor, 0.25); }"
  ".epsimo-error-banner > button:active { background-color: alpha(currentColor, 0.35); }";

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "epsimo-error-banner-css"))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, banner_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION - 1);
  g_object_set_data_full (G_OBJECT (display), "epsimo-error-banner-css",
                          g_steal_pointer (&provider), g_object_unref);
}

static void
on_retry_clicked (EpsimoErrorBanner *self)
{
  g_signal_emit (self, signals[RETRY], 0);
}

/* A hidden banner must not take space or keyboard focus once it has slid out. */
static void
on_child_revealed (EpsimoErrorBanner *self)
{
  if (!gtk_revealer_get_reveal_child (self->revealer)
      && !gtk_revealer_get_child_revealed (self->revealer))
    gtk_widget_set_visible (GTK_WIDGET (self->revealer), FALSE);
}

static void
epsimo_error_banner_realize (GtkWidget *widget)
{
  ensure_css (gtk_widget_get_display (widget));

  GTK_WIDGET_CLASS (epsimo_error_banner_parent_class)->realize (widget);
}

static void
epsimo_error_banner_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EpsimoErrorBanner *self = EPSIMO_ERROR_BANNER (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_string (value, epsimo_error_banner_get_message (self));
      break;
    case PROP_REVEALED:
      g_value_set_boolean (value, epsimo_error_banner_get_revealed (self));
      break;
    case PROP_SHOW_RETRY:
      g_value_set_boolean (value, epsimo_error_banner_get_show_retry (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_error_banner_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EpsimoErrorBanner *self = EPSIMO_ERROR_BANNER (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      epsimo_error_banner_set_message (self, g_value_get_string (value));
      break;
    case PROP_SHOW_RETRY:
      epsimo_error_banner_set_show_retry (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_error_banner_class_init (EpsimoErrorBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = epsimo_error_banner_get_property;
  object_class->set_property = epsimo_error_banner_set_property;

  widget_class->realize = epsimo_error_banner_realize;

  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_RETRY] =
    g_param_spec_boolean ("show-retry", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoErrorBanner::retry:
   *
   * The user asked to try the failed operation again.
   */
  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/widgets/epsimo-error-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoErrorBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, EpsimoErrorBanner, bar);
  gtk_widget_class_bind_template_child (widget_class, EpsimoErrorBanner, label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoErrorBanner, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_child_revealed);
}

static void
epsimo_error_banner_init (EpsimoErrorBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->revealer), FALSE);
}

GtkWidget *
epsimo_error_banner_new (void)
{
  return g_object_new (EPSIMO_TYPE_ERROR_BANNER, NULL);
}

void
epsimo_error_banner_set_message (EpsimoErrorBanner *self,
                                 const char        *message)
{
  g_return_if_fail (EPSIMO_IS_ERROR_BANNER (self));

  if (message == NULL)
    message = "";
  if (g_strcmp0 (gtk_label_get_text (self->label), message) == 0)
    return;

  gtk_label_set_text (self->label, message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

const char *
epsimo_error_banner_get_message (EpsimoErrorBanner *self)
{
  g_return_val_if_fail (EPSIMO_IS_ERROR_BANNER (self), NULL);

  return gtk_label_get_text (self->label);
}

void
epsimo_error_banner_reveal (EpsimoErrorBanner *self)
{
  g_return_if_fail (EPSIMO_IS_ERROR_BANNER (self));

  gtk_widget_set_visible (GTK_WIDGET (self->revealer), TRUE);
  if (gtk_revealer_get_reveal_child (self->revealer))
    return;

  gtk_revealer_set_reveal_child (self->revealer, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

void
epsimo_error_banner_hide (EpsimoErrorBanner *self)
{
  g_return_if_fail (EPSIMO_IS_ERROR_BANNER (self));

  if (!gtk_revealer_get_reveal_child (self->revealer))
    return;

  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

gboolean
epsimo_error_banner_get_revealed (EpsimoErrorBanner *self)
{
  g_return_val_if_fail (EPSIMO_IS_ERROR_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

void
epsimo_error_banner_set_show_retry (EpsimoErrorBanner *self,
                                    gboolean           show_retry)
{
  g_return_if_fail (EPSIMO_IS_ERROR_BANNER (self));

  show_retry = !!show_retry;
  if (gtk_widget_get_visible (self->retry_button) == show_retry)
    return;

  gtk_widget_set_visible (self->retry_button, show_retry);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_RETRY]);
}

gboolean
epsimo_error_banner_get_show_retry (EpsimoErrorBanner *self)
{
  g_return_val_if_fail (EPSIMO_IS_ERROR_BANNER (self), FALSE);

  return gtk_widget_get_visible (self->retry_button);
}
