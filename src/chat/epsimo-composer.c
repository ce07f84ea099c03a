/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-composer.h"
#include "widgets/epsimo-tooltip.h"

struct _EpsimoComposer
{
  AdwBin       parent_instance;

  gboolean     empty;
  gboolean     running;
  gboolean     busy;
  gboolean     can_send;
  gboolean     no_threads_left;
  gboolean     blocks_sending;

  GtkRevealer *credits_revealer;
  GtkLabel    *credits_label;
  GtkTextView *text_view;
  GtkWidget   *placeholder;
  GtkWidget   *note_button;
  GtkStack    *button_stack;
  GtkWidget   *send_button;
  GtkWidget   *stop_button;
  GtkWidget   *buy_button;
  GtkSpinner  *busy_spinner;
};

G_DEFINE_FINAL_TYPE (EpsimoComposer, epsimo_composer, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_EMPTY,
  PROP_RUNNING,
  PROP_BUSY,
  PROP_CAN_SEND,
  PROP_SHOW_NOTE,
  PROP_NO_THREADS_LEFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SEND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkTextBuffer *
buffer (EpsimoComposer *self)
{
  return gtk_text_view_get_buffer (self->text_view);
}

static gboolean
text_is_blank (EpsimoComposer *self)
{
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer (self), &iter);
  do
    {
      if (!g_unichar_isspace (gtk_text_iter_get_char (&iter)) && !gtk_text_iter_is_end (&iter))
        return FALSE;
    }
  while (gtk_text_iter_forward_char (&iter));
  return TRUE;
}

gboolean
epsimo_composer_get_sendable (EpsimoComposer *self)
{
  g_return_val_if_fail (EPSIMO_IS_COMPOSER (self), FALSE);

  return !self->empty && !self->busy && !self->running && self->can_send
         && !(self->no_threads_left && self->blocks_sending);
}

static void
update (EpsimoComposer *self)
{
  const char *page = self->busy ? "busy" : self->running ? "stop" : "send";

  gtk_stack_set_visible_child_name (self->button_stack, page);
  gtk_spinner_set_spinning (self->busy_spinner, self->busy);
  gtk_widget_set_sensitive (self->send_button, epsimo_composer_get_sendable (self));
  gtk_text_view_set_editable (self->text_view, !self->busy);
  gtk_widget_set_visible (self->placeholder, self->empty);

  gtk_label_set_text (self->credits_label,
                      self->blocks_sending
                      ? _("You have no threads left. Buy credits to start a new conversation.")
                      : _("You have no threads left for new conversations."));
  gtk_revealer_set_reveal_child (self->credits_revealer, self->no_threads_left);
  gtk_widget_set_visible (GTK_WIDGET (self->credits_revealer), self->no_threads_left);
}

static void
on_buffer_changed (EpsimoComposer *self)
{
  gboolean empty = text_is_blank (self);

  if (empty != self->empty)
    {
      self->empty = empty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

static void
request_send (EpsimoComposer *self)
{
  if (epsimo_composer_get_sendable (self))
    g_signal_emit (self, signals[SEND], 0);
}

static void
on_send_clicked (EpsimoComposer *self)
{
  request_send (self);
}

/* Enter sends; Shift+Enter (and Ctrl+Enter in an input method) adds a line as usual. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                EpsimoComposer        *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  if (state & (GDK_SHIFT_MASK | GDK_ALT_MASK))
    return FALSE;

  request_send (self);
  return TRUE;
}

static void
epsimo_composer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EpsimoComposer *self = EPSIMO_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_take_string (value, epsimo_composer_dup_text (self));
      break;

    case PROP_EMPTY:
      g_value_set_boolean (value, self->empty);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_CAN_SEND:
      g_value_set_boolean (value, self->can_send);
      break;

    case PROP_SHOW_NOTE:
      g_value_set_boolean (value, gtk_widget_get_visible (self->note_button));
      break;

    case PROP_NO_THREADS_LEFT:
      g_value_set_boolean (value, self->no_threads_left);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_composer_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EpsimoComposer *self = EPSIMO_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      epsimo_composer_set_text (self, g_value_get_string (value));
      break;

    case PROP_RUNNING:
      epsimo_composer_set_running (self, g_value_get_boolean (value));
      break;

    case PROP_BUSY:
      epsimo_composer_set_busy (self, g_value_get_boolean (value));
      break;

    case PROP_CAN_SEND:
      epsimo_composer_set_can_send (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_NOTE:
      epsimo_composer_set_show_note (self, g_value_get_boolean (value));
      break;

    case PROP_NO_THREADS_LEFT:
      epsimo_composer_set_no_threads_left (self, g_value_get_boolean (value),
                                           self->blocks_sending);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_composer_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), EPSIMO_TYPE_COMPOSER);

  G_OBJECT_CLASS (epsimo_composer_parent_class)->dispose (object);
}

static gboolean
epsimo_composer_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (EPSIMO_COMPOSER (widget)->text_view));
}

static void
epsimo_composer_class_init (EpsimoComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = epsimo_composer_dispose;
  object_class->get_property = epsimo_composer_get_property;
  object_class->set_property = epsimo_composer_set_property;
  widget_class->grab_focus = epsimo_composer_grab_focus;

  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, "", rw);
  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, rw);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, rw);
  properties[PROP_CAN_SEND] = g_param_spec_boolean ("can-send", NULL, NULL, TRUE, rw);
  properties[PROP_SHOW_NOTE] = g_param_spec_boolean ("show-note", NULL, NULL, FALSE, rw);
  properties[PROP_NO_THREADS_LEFT] =
    g_param_spec_boolean ("no-threads-left", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/chat/"
                                               "epsimo-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, credits_revealer);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, credits_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, placeholder);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, note_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, button_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, stop_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, buy_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoComposer, busy_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked);
}

static void
epsimo_composer_init (EpsimoComposer *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Given here rather than in the template: see epsimo_tooltip_set_text(). */
  epsimo_tooltip_set_text (self->note_button, _("Add as Note (no reply)"));
  epsimo_tooltip_set_text (self->send_button, _("Send (Enter)"));
  epsimo_tooltip_set_text (self->stop_button, _("Stop (Esc)"));
  self->empty = TRUE;
  self->can_send = TRUE;

  /* Capture phase: before the text view turns Enter into a new line. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);

  g_signal_connect_object (buffer (self), "changed", G_CALLBACK (on_buffer_changed), self,
                           G_CONNECT_SWAPPED);
  update (self);
}

GtkWidget *
epsimo_composer_new (void)
{
  return g_object_new (EPSIMO_TYPE_COMPOSER, NULL);
}

char *
epsimo_composer_dup_text (EpsimoComposer *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (EPSIMO_IS_COMPOSER (self), NULL);

  gtk_text_buffer_get_bounds (buffer (self), &start, &end);
  return gtk_text_buffer_get_text (buffer (self), &start, &end, FALSE);
}

void
epsimo_composer_set_text (EpsimoComposer *self,
                          const char     *text)
{
  g_autofree char *current = NULL;

  g_return_if_fail (EPSIMO_IS_COMPOSER (self));

  current = epsimo_composer_dup_text (self);
  if (g_strcmp0 (current, text != NULL ? text : "") != 0)
    gtk_text_buffer_set_text (buffer (self), text != NULL ? text : "", -1);
}

gboolean
epsimo_composer_get_empty (EpsimoComposer *self)
{
  g_return_val_if_fail (EPSIMO_IS_COMPOSER (self), TRUE);

  return self->empty;
}

#define SETTER(name, field, prop)                                        \
  void                                                                   \
  epsimo_composer_set_##name (EpsimoComposer *self,                      \
                              gboolean        value)                     \
  {                                                                      \
    g_return_if_fail (EPSIMO_IS_COMPOSER (self));                        \
                                                                         \
    value = !!value;                                                     \
    if (self->field == value)                                            \
      return;                                                            \
    self->field = value;                                                 \
    update (self);                                                       \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);        \
  }

SETTER (running, running, PROP_RUNNING)
SETTER (busy, busy, PROP_BUSY)
SETTER (can_send, can_send, PROP_CAN_SEND)

#undef SETTER

gboolean
epsimo_composer_get_busy (EpsimoComposer *self)
{
  g_return_val_if_fail (EPSIMO_IS_COMPOSER (self), FALSE);

  return self->busy;
}

void
epsimo_composer_set_show_note (EpsimoComposer *self,
                               gboolean        show_note)
{
  g_return_if_fail (EPSIMO_IS_COMPOSER (self));

  show_note = !!show_note;
  if (gtk_widget_get_visible (self->note_button) == show_note)
    return;

  gtk_widget_set_visible (self->note_button, show_note);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_NOTE]);
}

void
epsimo_composer_set_no_threads_left (EpsimoComposer *self,
                                     gboolean        no_threads_left,
                                     gboolean        blocks_sending)
{
  g_return_if_fail (EPSIMO_IS_COMPOSER (self));

  no_threads_left = !!no_threads_left;
  blocks_sending = !!blocks_sending;
  if (self->no_threads_left == no_threads_left && self->blocks_sending == blocks_sending)
    return;

  self->blocks_sending = blocks_sending;
  if (self->no_threads_left != no_threads_left)
    {
      self->no_threads_left = no_threads_left;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_THREADS_LEFT]);
    }
  update (self);
}

gboolean
epsimo_composer_get_no_threads_left (EpsimoComposer *self)
{
  g_return_val_if_fail (EPSIMO_IS_COMPOSER (self), FALSE);

  return self->no_threads_left;
}

void
epsimo_composer_focus (EpsimoComposer *self)
{
  g_return_if_fail (EPSIMO_IS_COMPOSER (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}
