/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-assistant-row"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-assistant-row.h"

struct _EpsimoAssistantRow
{
  AdwBin           parent_instance;

  EpsimoAssistant *assistant;
  GListModel      *tools;

  GtkLabel        *name_label;
  GtkLabel        *details_label;
  GtkWidget       *public_badge;
  GtkWidget       *duplicate_button;
  GtkWidget       *delete_button;
};

G_DEFINE_FINAL_TYPE (EpsimoAssistantRow, epsimo_assistant_row, ADW_TYPE_BIN)

static void
update (EpsimoAssistantRow *self)
{
  g_autofree char *details = NULL;
  g_autofree char *duplicate_label = NULL;
  g_autofree char *delete_label = NULL;
  const char *name;
  guint n_tools;

  if (self->assistant == NULL)
    return;

  name = epsimo_assistant_get_name (self->assistant);
  if (name == NULL || *name == '\0')
    name = _("Unnamed Assistant");
  n_tools = g_list_model_get_n_items (self->tools);

  /* TRANSLATORS: an assistant's model and number of tools, e.g. “gpt-4o · 3 tools” */
  details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u tool", "%s · %u tools",
                                          n_tools),
                             epsimo_assistant_get_model (self->assistant), n_tools);

  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->details_label, details);
  gtk_widget_set_visible (self->public_badge, epsimo_assistant_get_public (self->assistant));

  /* The icon buttons say which assistant they act on, for screen readers. */
  /* TRANSLATORS: %s is an assistant's name */
  duplicate_label = g_strdup_printf (_("Duplicate “%s”"), name);
  /* TRANSLATORS: %s is an assistant's name */
  delete_label = g_strdup_printf (_("Delete “%s”…"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->duplicate_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, duplicate_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, delete_label, -1);
}

static void
epsimo_assistant_row_dispose (GObject *object)
{
  EpsimoAssistantRow *self = (EpsimoAssistantRow *)object;

  epsimo_assistant_row_set_assistant (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_ASSISTANT_ROW);

  G_OBJECT_CLASS (epsimo_assistant_row_parent_class)->dispose (object);
}

static void
epsimo_assistant_row_class_init (EpsimoAssistantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_assistant_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/assistants/"
                                               "epsimo-assistant-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantRow, public_badge);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantRow, duplicate_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantRow, delete_button);
}

static void
epsimo_assistant_row_init (EpsimoAssistantRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
epsimo_assistant_row_new (void)
{
  return g_object_new (EPSIMO_TYPE_ASSISTANT_ROW, NULL);
}

void
epsimo_assistant_row_set_assistant (EpsimoAssistantRow *self,
                                    EpsimoAssistant    *assistant)
{
  const char *id;

  g_return_if_fail (EPSIMO_IS_ASSISTANT_ROW (self));
  g_return_if_fail (assistant == NULL || EPSIMO_IS_ASSISTANT (assistant));

  if (self->assistant == assistant)
    return;

  if (self->assistant != NULL)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->duplicate_button), NULL);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->delete_button), NULL);
      g_signal_handlers_disconnect_by_data (self->assistant, self);
      g_signal_handlers_disconnect_by_data (self->tools, self);
      g_clear_object (&self->tools);
      g_clear_object (&self->assistant);
    }

  if (assistant == NULL)
    return;

  self->assistant = g_object_ref (assistant);
  self->tools = g_object_ref (epsimo_assistant_get_tools (assistant));
  g_signal_connect_swapped (assistant, "notify", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->tools, "items-changed", G_CALLBACK (update), self);

  /* The target first: an action with a parameter and no target is refused noisily. */
  id = epsimo_assistant_get_id (assistant) != NULL ? epsimo_assistant_get_id (assistant) : "";
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->duplicate_button), "s", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->duplicate_button),
                                  "assistants.duplicate");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "s", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->delete_button), "assistants.delete");
  update (self);
}

EpsimoAssistant *
epsimo_assistant_row_get_assistant (EpsimoAssistantRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_ROW (self), NULL);

  return self->assistant;
}
