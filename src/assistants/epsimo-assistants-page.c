/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-assistants-page"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-api-error.h"
#include "widgets/epsimo-section-shortcut.h"

#include "epsimo-assistant-editor.h"
#include "epsimo-assistant-row.h"
#include "epsimo-assistants-page.h"
#include "epsimo-catalogue-entry.h"

struct _EpsimoAssistantsPage
{
  AdwBin                 parent_instance;

  EpsimoSession         *session;
  EpsimoProject         *project;
  GListStore            *assistants;
  GCancellable          *load_cancellable;   /* the list of the current project */
  GCancellable          *cancellable;        /* one-off actions of the current session */

  /* The Add Tool menu: built in, replaced by the server's catalogue where it has one. */
  GListStore            *catalogue;
  EpsimoSession         *catalogue_session;
  GCancellable          *catalogue_cancellable;

  /* confirm-leave requests waiting for the Save / Discard / Cancel dialog */
  GPtrArray             *leave_tasks;
  AdwMessageDialog      *leave_dialog;

  GtkStack              *stack;
  GtkStack              *list_stack;
  GtkSpinner            *spinner;
  AdwStatusPage         *error_page;
  GtkListView           *list_view;
  EpsimoAssistantEditor *editor;
};

G_DEFINE_FINAL_TYPE (EpsimoAssistantsPage, epsimo_assistants_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  PROP_HAS_UNSAVED_CHANGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ensure_catalogue (EpsimoAssistantsPage *self);

static void
toast (EpsimoAssistantsPage *self,
       const char           *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static const char *
display_name (EpsimoAssistant *assistant)
{
  const char *name = epsimo_assistant_get_name (assistant);

  return name != NULL && *name != '\0' ? name : _("Unnamed Assistant");
}

static gboolean
editor_shown (EpsimoAssistantsPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "editor") == 0;
}

static void
update_actions (EpsimoAssistantsPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->session != NULL && self->project != NULL;

  /* The stack notifies while the template is being built. */
  if (self->editor == NULL || self->stack == NULL)
    return;

  gtk_widget_action_set_enabled (widget, "assistants.new", ready);
  gtk_widget_action_set_enabled (widget, "assistants.open", ready);
  gtk_widget_action_set_enabled (widget, "assistants.duplicate", ready);
  gtk_widget_action_set_enabled (widget, "assistants.delete", ready);
  gtk_widget_action_set_enabled (widget, "assistants.back", editor_shown (self));
  gtk_widget_action_set_enabled (widget, "assistants.save",
                                 editor_shown (self) &&
                                 epsimo_assistant_editor_get_can_save (self->editor));
}

static void
on_dirty_changed (EpsimoAssistantsPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_UNSAVED_CHANGES]);
}

static EpsimoAssistant *
find_assistant (EpsimoAssistantsPage *self,
                const char           *id,
                guint                *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->assistants));

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(EpsimoAssistant) assistant = NULL;

      assistant = g_list_model_get_item (G_LIST_MODEL (self->assistants), i);

      if (g_strcmp0 (epsimo_assistant_get_id (assistant), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return assistant; /* the store keeps it alive */
        }
    }

  return NULL;
}

static void
show_list (EpsimoAssistantsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->assistants));

  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

/* Puts @assistant (just saved or created) in the list: in place of the one with its id, or
 * at the end. */
static void
store_assistant (EpsimoAssistantsPage *self,
                 EpsimoAssistant      *assistant)
{
  guint position;

  if (find_assistant (self, epsimo_assistant_get_id (assistant), &position) != NULL)
    g_list_store_splice (self->assistants, position, 1, (gpointer *) &assistant, 1);
  else
    g_list_store_append (self->assistants, assistant);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "loading") != 0)
    show_list (self);
}

static void
close_editor (EpsimoAssistantsPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, "list");
  epsimo_assistant_editor_clear (self->editor);
  update_actions (self);
}

static void
open_editor (EpsimoAssistantsPage *self,
             EpsimoAssistant      *assistant)
{
  ensure_catalogue (self);
  epsimo_assistant_editor_edit (self->editor, self->session,
                                epsimo_project_get_id (self->project), assistant);
  gtk_stack_set_visible_child_name (self->stack, "editor");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
}

/* Loading the list */

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(EpsimoAssistantsPage) self = user_data;
  g_autoptr(GPtrArray) assistants = NULL;
  g_autoptr(GError) error = NULL;

  assistants = epsimo_assistants_service_list_finish (EPSIMO_ASSISTANTS_SERVICE (source), result,
                                                      &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (assistants == NULL)
    {
      gtk_spinner_set_spinning (self->spinner, FALSE);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      return;
    }

  g_list_store_splice (self->assistants, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->assistants)),
                       assistants->pdata, assistants->len);
  show_list (self);
}

static void
reload (EpsimoAssistantsPage *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_list_store_remove_all (self->assistants);

  if (self->session == NULL || self->project == NULL)
    {
      gtk_spinner_set_spinning (self->spinner, FALSE);
      gtk_stack_set_visible_child_name (self->list_stack, "none");
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->list_stack, "loading");
  epsimo_assistants_service_list_async (epsimo_session_get_assistants (self->session),
                                        epsimo_project_get_id (self->project),
                                        self->load_cancellable, list_cb, g_object_ref (self));
}

/* The tool catalogue */

static void
health_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EpsimoCatalogueEntry) entry = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean healthy = FALSE;

  if (!epsimo_assistants_service_get_tool_health_finish (EPSIMO_ASSISTANTS_SERVICE (source),
                                                         result, &healthy, &message, &error))
    {
      /* No answer is no verdict: the dot stays hidden rather than guessing. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No health for %s: %s", epsimo_catalogue_entry_get_key (entry), error->message);
      return;
    }

  epsimo_catalogue_entry_set_health (entry,
                                     healthy ? EPSIMO_TOOL_HEALTH_HEALTHY
                                             : EPSIMO_TOOL_HEALTH_UNHEALTHY,
                                     message);
}

static void
list_tools_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EpsimoAssistantsPage) self = user_data;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GListStore) catalogue = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoAssistantsService *service = EPSIMO_ASSISTANTS_SERVICE (source);
  guint n;

  tools = epsimo_assistants_service_list_tools_finish (service, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A server without a catalogue (the reference dialect) keeps the built-in one. */
  if (tools == NULL)
    {
      g_debug ("No tool catalogue from the server: %s", error->message);
      return;
    }

  catalogue = epsimo_catalogue_entry_new_list_from_tools (tools);
  n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoCatalogueEntry) entry = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
      const char *type = epsimo_catalogue_entry_get_tool_type (entry);

      if (type != NULL)
        epsimo_assistants_service_get_tool_health_async (service, type,
                                                         self->catalogue_cancellable,
                                                         health_cb, g_object_ref (entry));
    }

  g_set_object (&self->catalogue, catalogue);
  epsimo_assistant_editor_set_catalogue (self->editor, G_LIST_MODEL (self->catalogue));
}

static void
ensure_catalogue (EpsimoAssistantsPage *self)
{
  if (self->catalogue != NULL && self->catalogue_session == self->session)
    return;

  g_cancellable_cancel (self->catalogue_cancellable);
  g_clear_object (&self->catalogue_cancellable);
  g_clear_object (&self->catalogue);
  g_set_object (&self->catalogue_session, self->session);

  self->catalogue = epsimo_catalogue_entry_new_builtin_list ();
  epsimo_assistant_editor_set_catalogue (self->editor, G_LIST_MODEL (self->catalogue));

  if (self->session == NULL)
    return;

  self->catalogue_cancellable = g_cancellable_new ();
  epsimo_assistants_service_list_tools_async (epsimo_session_get_assistants (self->session),
                                              self->catalogue_cancellable,
                                              list_tools_cb, g_object_ref (self));
}

/* Saving */

typedef void (*SavedFunc) (EpsimoAssistantsPage *self,
                           gboolean              saved);

typedef struct
{
  EpsimoAssistantsPage *self;
  SavedFunc             then;
} SaveData;

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(EpsimoAssistantsPage) self = data->self;
  SavedFunc then = data->then;
  EpsimoAssistantEditor *editor = EPSIMO_ASSISTANT_EDITOR (source);
  g_autoptr(EpsimoAssistant) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_free (data);

  saved = epsimo_assistant_editor_save_finish (editor, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The editor shows what went wrong, in place. */
  if (saved != NULL)
    {
      /* An editor kept open across a project switch saves to its own project. */
      if (self->project != NULL &&
          g_strcmp0 (epsimo_assistant_editor_get_project_id (editor),
                     epsimo_project_get_id (self->project)) == 0)
        store_assistant (self, saved);

      /* TRANSLATORS: %s is an assistant's name */
      message = g_strdup_printf (_("Saved “%s”"), display_name (saved));
      toast (self, message);
    }

  if (then != NULL)
    then (self, saved != NULL);
}

static void
save (EpsimoAssistantsPage *self,
      SavedFunc             then)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->self = g_object_ref (self);
  data->then = then;
  epsimo_assistant_editor_save_async (self->editor, NULL, save_cb, data);
}

/* Leaving the editor */

static void
finish_leave (EpsimoAssistantsPage *self,
              gboolean              ok)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->leave_tasks);

  self->leave_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), ok);
}

static void
leave_after_save (EpsimoAssistantsPage *self,
                  gboolean              saved)
{
  finish_leave (self, saved);
}

static void
on_leave_response (AdwMessageDialog     *dialog,
                   const char           *response,
                   EpsimoAssistantsPage *self)
{
  if (self->leave_dialog == dialog)
    self->leave_dialog = NULL;

  if (g_str_equal (response, "save"))
    save (self, leave_after_save);
  else if (g_str_equal (response, "discard"))
    {
      close_editor (self);
      finish_leave (self, TRUE);
    }
  else
    finish_leave (self, FALSE);
}

static void
present_leave_dialog (EpsimoAssistantsPage *self)
{
  EpsimoAssistant *draft = epsimo_assistant_editor_get_draft (self->editor);
  const char *problem = epsimo_assistant_editor_get_problem (self->editor);
  gboolean can_save = problem == NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* TRANSLATORS: %s is an assistant's name */
  body = g_strdup_printf (_("“%s” has unsaved changes. Changes that are not saved are lost."),
                          display_name (draft));
  if (!can_save)
    {
      g_autofree char *why = NULL;
      g_autofree char *unsaved = g_steal_pointer (&body);

      /* TRANSLATORS: %s says what is wrong, e.g. “Enter a name for the assistant.” */
      why = g_strdup_printf (_("It cannot be saved as it is: %s"), problem);
      body = g_strdup_printf ("%s\n\n%s", unsaved, why);
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", can_save);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           can_save ? "save" : "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_leave_response), self, 0);

  self->leave_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
epsimo_assistants_page_confirm_leave_async (EpsimoAssistantsPage *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EPSIMO_IS_ASSISTANTS_PAGE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistants_page_confirm_leave_async);

  if (!epsimo_assistant_editor_is_editing (self->editor) ||
      !epsimo_assistant_editor_get_dirty (self->editor))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (self->leave_tasks, g_steal_pointer (&task));
  if (self->leave_dialog == NULL)
    present_leave_dialog (self);
  else
    gtk_window_present (GTK_WINDOW (self->leave_dialog));
}

gboolean
epsimo_assistants_page_confirm_leave_finish (EpsimoAssistantsPage  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistants_page_confirm_leave_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Actions that first leave the editor: the one of them waiting for the answer. */
typedef struct
{
  EpsimoAssistantsPage *self;
  char                 *open_id;   /* NULL: a new assistant */
  gboolean              back;      /* just go back to the list */
} LeaveThen;

static void
leave_then_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LeaveThen *then = user_data;
  g_autoptr(EpsimoAssistantsPage) self = then->self;
  g_autofree char *open_id = then->open_id;
  gboolean back = then->back;
  EpsimoAssistant *assistant = NULL;

  g_free (then);

  if (!epsimo_assistants_page_confirm_leave_finish (self, result, NULL))
    return;

  if (back)
    {
      close_editor (self);
      return;
    }

  if (self->session == NULL || self->project == NULL)
    return;

  if (open_id != NULL && (assistant = find_assistant (self, open_id, NULL)) == NULL)
    return;

  open_editor (self, assistant);
}

static void
leave_then (EpsimoAssistantsPage *self,
            const char           *open_id,
            gboolean              back)
{
  LeaveThen *then = g_new0 (LeaveThen, 1);

  then->self = g_object_ref (self);
  then->open_id = g_strdup (open_id);
  then->back = back;
  epsimo_assistants_page_confirm_leave_async (self, NULL, leave_then_cb, then);
}

/* Actions */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  leave_then (EPSIMO_ASSISTANTS_PAGE (widget), NULL, FALSE);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  leave_then (EPSIMO_ASSISTANTS_PAGE (widget), g_variant_get_string (parameter, NULL), FALSE);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  leave_then (EPSIMO_ASSISTANTS_PAGE (widget), NULL, TRUE);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EpsimoAssistantsPage *self = EPSIMO_ASSISTANTS_PAGE (widget);

  if (editor_shown (self) && epsimo_assistant_editor_get_can_save (self->editor))
    save (self, NULL);
}

static void
on_list_activate (EpsimoAssistantsPage *self,
                  guint                 position)
{
  g_autoptr(EpsimoAssistant) assistant = g_list_model_get_item (G_LIST_MODEL (self->assistants),
                                                                position);

  if (assistant != NULL)
    leave_then (self, epsimo_assistant_get_id (assistant), FALSE);
}

static void
duplicate_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EpsimoAssistantsPage) self = user_data;
  g_autoptr(EpsimoAssistant) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  created = epsimo_assistants_service_create_finish (EPSIMO_ASSISTANTS_SERVICE (source), result,
                                                     &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (created == NULL)
    {
      /* TRANSLATORS: %s says why */
      message = g_strdup_printf (_("The assistant could not be duplicated. %s"), error->message);
      toast (self, message);
      return;
    }

  store_assistant (self, created);
  /* TRANSLATORS: %s is the new assistant's name */
  message = g_strdup_printf (_("Created “%s”"), display_name (created));
  toast (self, message);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoAssistantsPage *self = EPSIMO_ASSISTANTS_PAGE (widget);
  EpsimoAssistant *assistant = find_assistant (self, g_variant_get_string (parameter, NULL),
                                               NULL);
  g_autoptr(EpsimoAssistant) copy = NULL;
  g_autofree char *name = NULL;
  GListModel *tools;

  if (assistant == NULL || self->session == NULL || self->project == NULL)
    return;

  copy = epsimo_assistant_copy (assistant);
  /* TRANSLATORS: the name of a duplicated assistant; %s is the original's name */
  name = g_strdup_printf (_("%s (Copy)"), display_name (assistant));
  epsimo_assistant_set_name (copy, name);

  /* The copy's tools are new tools: the live backend gives them ids of their own. */
  tools = epsimo_assistant_get_tools (copy);
  for (guint i = 0; i < g_list_model_get_n_items (tools); i++)
    {
      g_autoptr(EpsimoTool) tool = g_list_model_get_item (tools, i);

      epsimo_tool_set_id (tool, NULL);
    }

  epsimo_assistants_service_create_async (epsimo_session_get_assistants (self->session),
                                          epsimo_project_get_id (self->project), copy,
                                          self->cancellable, duplicate_cb, g_object_ref (self));
}

typedef struct
{
  EpsimoAssistantsPage *self;
  char                 *id;
  char                 *name;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->self);
  g_free (data->id);
  g_free (data->name);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeleteData, delete_data_free)

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DeleteData) data = user_data;
  EpsimoAssistantsPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint position;

  if (!epsimo_assistants_service_delete_finish (EPSIMO_ASSISTANTS_SERVICE (source), result,
                                                &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* TRANSLATORS: %s is an assistant's name, then why it failed */
      message = g_strdup_printf (_("“%s” could not be deleted. %s"), data->name,
                                 error->message);
      toast (self, message);
      return;
    }

  if (find_assistant (self, data->id, &position) != NULL)
    g_list_store_remove (self->assistants, position);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "list") == 0)
    show_list (self);

  /* Its editor has nothing left to save to. */
  if (epsimo_assistant_editor_get_original (self->editor) != NULL &&
      g_strcmp0 (epsimo_assistant_get_id (epsimo_assistant_editor_get_original (self->editor)),
                 data->id) == 0)
    close_editor (self);

  /* TRANSLATORS: %s is an assistant's name */
  message = g_strdup_printf (_("Deleted “%s”"), data->name);
  toast (self, message);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DeleteData       *data)
{
  EpsimoAssistantsPage *self = data->self;

  if (!g_str_equal (response, "delete") || self->session == NULL || self->project == NULL)
    return;

  epsimo_assistants_service_delete_async (epsimo_session_get_assistants (self->session),
                                          epsimo_project_get_id (self->project), data->id,
                                          self->cancellable, delete_cb,
                                          g_memdup2 (data, sizeof *data));
  /* The copy owns the members now; the dialog's data must not free them. */
  data->self = NULL;
  data->id = NULL;
  data->name = NULL;
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EpsimoAssistantsPage *self = EPSIMO_ASSISTANTS_PAGE (widget);
  EpsimoAssistant *assistant = find_assistant (self, g_variant_get_string (parameter, NULL),
                                               NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  DeleteData *data;
  GtkWidget *dialog;

  if (assistant == NULL)
    return;

  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);
  data->id = g_strdup (epsimo_assistant_get_id (assistant));
  data->name = g_strdup (display_name (assistant));

  /* TRANSLATORS: %s is an assistant's name */
  heading = g_strdup_printf (_("Delete “%s”?"), data->name);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("The assistant and its settings will be deleted. "
                                     "This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response), data,
                         (GClosureNotify) G_CALLBACK (delete_data_free), 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The list's rows */

static void
row_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, epsimo_assistant_row_new ());
}

static void
row_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  epsimo_assistant_row_set_assistant (EPSIMO_ASSISTANT_ROW (gtk_list_item_get_child (item)),
                                      gtk_list_item_get_item (item));
}

static void
row_unbind (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  epsimo_assistant_row_set_assistant (EPSIMO_ASSISTANT_ROW (gtk_list_item_get_child (item)),
                                      NULL);
}

/* Session and project */

static void
leave_after_switch_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EpsimoAssistantsPage) self = user_data;

  /* Saved or discarded: back to the (new) project's list. Cancelled: the draft stays open,
   * bound to its own project, until the user decides. */
  if (epsimo_assistants_page_confirm_leave_finish (self, result, NULL))
    close_editor (self);
}

/* The editor keeps its own session and project: a draft with unsaved changes is not
 * dropped because the window moved on, the user is asked. */
static void
context_changed (EpsimoAssistantsPage *self)
{
  EpsimoAssistantEditor *editor = self->editor;

  reload (self);
  update_actions (self);

  if (!epsimo_assistant_editor_is_editing (editor))
    {
      close_editor (self);
      return;
    }

  if (self->session == epsimo_assistant_editor_get_session (editor) && self->project != NULL &&
      g_strcmp0 (epsimo_project_get_id (self->project),
                 epsimo_assistant_editor_get_project_id (editor)) == 0)
    return;

  /* Signed out: nothing of the account may stay on screen (the window asks first). */
  if (self->session == NULL || !epsimo_assistant_editor_get_dirty (editor))
    {
      close_editor (self);
      if (self->leave_dialog != NULL)
        gtk_window_close (GTK_WINDOW (self->leave_dialog));
      return;
    }

  epsimo_assistants_page_confirm_leave_async (self, NULL, leave_after_switch_cb,
                                              g_object_ref (self));
}

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "epsimo-assistants-css"))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider,
                                       "/com/epsimoagents/Desktop/assistants/"
                                       "epsimo-assistants.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "epsimo-assistants-css",
                          g_steal_pointer (&provider), g_object_unref);
}

static void
epsimo_assistants_page_realize (GtkWidget *widget)
{
  ensure_css (gtk_widget_get_display (widget));

  GTK_WIDGET_CLASS (epsimo_assistants_page_parent_class)->realize (widget);
}

static void
epsimo_assistants_page_dispose (GObject *object)
{
  EpsimoAssistantsPage *self = (EpsimoAssistantsPage *)object;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->catalogue_cancellable);
  g_clear_object (&self->catalogue_cancellable);

  if (self->leave_tasks != NULL)
    finish_leave (self, FALSE);
  g_clear_pointer (&self->leave_tasks, g_ptr_array_unref);
  if (self->leave_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->leave_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->leave_dialog));
      self->leave_dialog = NULL;
    }

  /* The stack is both AdwBin's child and a template child: unparent it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_ASSISTANTS_PAGE);

  g_clear_object (&self->session);
  g_clear_object (&self->project);
  g_clear_object (&self->assistants);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->catalogue_session);

  G_OBJECT_CLASS (epsimo_assistants_page_parent_class)->dispose (object);
}

static void
epsimo_assistants_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EpsimoAssistantsPage *self = EPSIMO_ASSISTANTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_HAS_UNSAVED_CHANGES:
      g_value_set_boolean (value, epsimo_assistants_page_get_has_unsaved_changes (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_assistants_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  EpsimoAssistantsPage *self = EPSIMO_ASSISTANTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_assistants_page_set_session (self, g_value_get_object (value));
      break;

    case PROP_PROJECT:
      epsimo_assistants_page_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_assistants_page_class_init (EpsimoAssistantsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_assistants_page_dispose;
  object_class->get_property = epsimo_assistants_page_get_property;
  object_class->set_property = epsimo_assistants_page_set_property;

  widget_class->realize = epsimo_assistants_page_realize;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         EPSIMO_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         EPSIMO_TYPE_PROJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HAS_UNSAVED_CHANGES] =
    g_param_spec_boolean ("has-unsaved-changes", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "assistants.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "assistants.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "assistants.duplicate", "s", duplicate_action);
  gtk_widget_class_install_action (widget_class, "assistants.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "assistants.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "assistants.back", NULL, back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "assistants.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "assistants.back", NULL);

  g_type_ensure (EPSIMO_TYPE_ASSISTANT_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/assistants/"
                                               "epsimo-assistants-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantsPage, editor);
  gtk_widget_class_bind_template_callback (widget_class, update_actions);
  gtk_widget_class_bind_template_callback (widget_class, on_dirty_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, reload);
}

static void
epsimo_assistants_page_init (EpsimoAssistantsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  epsimo_section_shortcut_add (GTK_WIDGET (self), "<Control>n", "assistants.new");

  self->assistants = g_list_store_new (EPSIMO_TYPE_ASSISTANT);
  self->cancellable = g_cancellable_new ();
  self->leave_tasks = g_ptr_array_new_with_free_func (g_object_unref);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind), NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->assistants)));
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  gtk_stack_set_visible_child_name (self->list_stack, "none");
  update_actions (self);
}

GtkWidget *
epsimo_assistants_page_new (void)
{
  return g_object_new (EPSIMO_TYPE_ASSISTANTS_PAGE, NULL);
}

EpsimoSession *
epsimo_assistants_page_get_session (EpsimoAssistantsPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_PAGE (self), NULL);

  return self->session;
}

void
epsimo_assistants_page_set_session (EpsimoAssistantsPage *self,
                                    EpsimoSession        *session)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANTS_PAGE (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  /* What the previous account started is of no interest to this one. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->catalogue_cancellable);
  g_clear_object (&self->catalogue_cancellable);

  context_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EpsimoProject *
epsimo_assistants_page_get_project (EpsimoAssistantsPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_PAGE (self), NULL);

  return self->project;
}

void
epsimo_assistants_page_set_project (EpsimoAssistantsPage *self,
                                    EpsimoProject        *project)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANTS_PAGE (self));
  g_return_if_fail (project == NULL || EPSIMO_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  context_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

gboolean
epsimo_assistants_page_get_has_unsaved_changes (EpsimoAssistantsPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_PAGE (self), FALSE);

  return epsimo_assistant_editor_is_editing (self->editor) &&
         epsimo_assistant_editor_get_dirty (self->editor);
}
