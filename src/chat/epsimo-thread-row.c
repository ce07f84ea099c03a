/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-thread-row"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-thread-row.h"
#include "widgets/epsimo-tooltip.h"

struct _EpsimoThreadRow
{
  GtkWidget     parent_instance;

  EpsimoThread *thread;
  char         *assistant_name;
  gulong        notify_id;
  gboolean      unread;

  GtkLabel     *name_label;
  GtkLabel     *details_label;
  GtkWidget    *unread_dot;      /* made the first time a reply is unread */
  GtkWidget    *delete_button;
};

G_DEFINE_FINAL_TYPE (EpsimoThreadRow, epsimo_thread_row, GTK_TYPE_WIDGET)

/* The list binds up to 200 rows at once: the local time zone and today's date are looked
 * up once a second rather than for every row. */
static GDateTime *
get_now (void)
{
  static GDateTime *now;
  static gint64 taken;
  gint64 monotonic = g_get_monotonic_time ();

  if (now == NULL || monotonic - taken > G_USEC_PER_SEC)
    {
      g_clear_pointer (&now, g_date_time_unref);
      now = g_date_time_new_now_local ();
      taken = monotonic;
    }
  return now;
}

static char *
format_activity (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;
  GDateTime *now;

  if (when == NULL)
    return NULL;

  now = get_now ();
  local = g_date_time_to_timezone (when, g_date_time_get_timezone (now));
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: the time of a thread's last activity today, see g_date_time_format() */
    return g_date_time_format (local, _("%H:%M"));
  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: the day of a thread's last activity this year, see g_date_time_format() */
    return g_date_time_format (local, _("%e %b"));
  /* Translators: the day of a thread's last activity, see g_date_time_format() */
  return g_date_time_format (local, _("%e %b %Y"));
}

static void
update (EpsimoThreadRow *self)
{
  const char *name;
  g_autofree char *activity = NULL;
  g_autofree char *details = NULL;

  if (self->thread == NULL)
    return;

  name = epsimo_thread_get_name (self->thread);
  gtk_label_set_text (self->name_label,
                      name != NULL && *name != '\0' ? name : _("Untitled Thread"));

  activity = format_activity (epsimo_thread_get_updated_at (self->thread));
  if (activity != NULL && self->assistant_name != NULL)
    /* Translators: a thread's assistant, then when it was last active */
    details = g_strdup_printf (_("%s · %s"), self->assistant_name, g_strstrip (activity));
  else if (activity != NULL)
    details = g_strdup (g_strstrip (activity));
  else
    details = g_strdup (self->assistant_name != NULL ? self->assistant_name : "");
  gtk_label_set_text (self->details_label, details);
}

/* The thread is looked up when clicked rather than set as the button's action target at
 * every bind. */
static void
on_delete_clicked (EpsimoThreadRow *self)
{
  if (self->thread != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "chat.delete-thread", "s",
                                epsimo_thread_get_id (self->thread));
}

static void
epsimo_thread_row_dispose (GObject *object)
{
  EpsimoThreadRow *self = (EpsimoThreadRow *)object;

  epsimo_thread_row_set_thread (self, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_THREAD_ROW);
  g_clear_pointer (&self->unread_dot, gtk_widget_unparent);

  G_OBJECT_CLASS (epsimo_thread_row_parent_class)->dispose (object);
}

static void
epsimo_thread_row_class_init (EpsimoThreadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_thread_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/chat/"
                                               "epsimo-thread-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoThreadRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoThreadRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoThreadRow, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);
}

static void
epsimo_thread_row_init (EpsimoThreadRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  epsimo_tooltip_set_text (self->delete_button, _("Delete Thread"));
}

GtkWidget *
epsimo_thread_row_new (void)
{
  return g_object_new (EPSIMO_TYPE_THREAD_ROW, NULL);
}

void
epsimo_thread_row_set_thread (EpsimoThreadRow *self,
                              EpsimoThread    *thread,
                              const char      *assistant_name)
{
  g_return_if_fail (EPSIMO_IS_THREAD_ROW (self));
  g_return_if_fail (thread == NULL || EPSIMO_IS_THREAD (thread));

  if (self->thread != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->thread);
      g_clear_object (&self->thread);
    }
  g_clear_pointer (&self->assistant_name, g_free);

  if (thread == NULL)
    return;

  self->thread = g_object_ref (thread);
  self->assistant_name = g_strdup (assistant_name);
  self->notify_id = g_signal_connect_swapped (thread, "notify", G_CALLBACK (update), self);
  update (self);
}

EpsimoThread *
epsimo_thread_row_get_thread (EpsimoThreadRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREAD_ROW (self), NULL);

  return self->thread;
}

void
epsimo_thread_row_set_unread (EpsimoThreadRow *self,
                              gboolean         unread)
{
  g_return_if_fail (EPSIMO_IS_THREAD_ROW (self));

  unread = !!unread;
  if (unread == self->unread)
    return;

  self->unread = unread;
  if (self->unread && self->unread_dot == NULL)
    {
      GtkLayoutChild *layout;

      self->unread_dot = g_object_new (GTK_TYPE_IMAGE,
                                       "icon-name", "media-record-symbolic",
                                       "pixel-size", 10,
                                       "valign", GTK_ALIGN_CENTER,
                                       NULL);
      /* Translators: the tooltip of a thread's unread dot */
      epsimo_tooltip_set_text (self->unread_dot, _("Unread reply"));
      gtk_widget_add_css_class (self->unread_dot, "accent");
      gtk_widget_add_css_class (self->unread_dot, "epsimo-unread-dot");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->unread_dot),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Unread reply"), -1);
      /* Before the Delete button, in reading order too. */
      gtk_widget_insert_before (self->unread_dot, GTK_WIDGET (self), self->delete_button);
      layout = gtk_layout_manager_get_layout_child (gtk_widget_get_layout_manager (
                                                      GTK_WIDGET (self)),
                                                    self->unread_dot);
      gtk_grid_layout_child_set_column (GTK_GRID_LAYOUT_CHILD (layout), 1);
      gtk_grid_layout_child_set_row_span (GTK_GRID_LAYOUT_CHILD (layout), 2);
    }
  if (self->unread_dot != NULL)
    gtk_widget_set_visible (self->unread_dot, self->unread);
  if (self->unread)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "heading");
}

gboolean
epsimo_thread_row_get_unread (EpsimoThreadRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREAD_ROW (self), FALSE);

  return self->unread;
}
