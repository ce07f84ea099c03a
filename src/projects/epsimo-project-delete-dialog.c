/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-project-delete-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-project-delete-dialog.h"

struct _EpsimoProjectDeleteDialog
{
  AdwMessageDialog parent_instance;
};

G_DEFINE_FINAL_TYPE (EpsimoProjectDeleteDialog, epsimo_project_delete_dialog,
                     ADW_TYPE_MESSAGE_DIALOG)

static void
epsimo_project_delete_dialog_class_init (EpsimoProjectDeleteDialogClass *klass)
{
}

static void
epsimo_project_delete_dialog_init (EpsimoProjectDeleteDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_set_body (
    dialog, _("Its assistants, threads and files are deleted with it. This cannot be undone."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
}

GtkWidget *
epsimo_project_delete_dialog_new (GtkWindow     *parent,
                                  EpsimoProject *project)
{
  g_autofree char *heading = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EPSIMO_IS_PROJECT (project), NULL);

  heading = g_strdup_printf (_("Delete “%s”?"), epsimo_project_get_name (project));
  return g_object_new (EPSIMO_TYPE_PROJECT_DELETE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       "heading", heading,
                       NULL);
}

/* The flow */

typedef struct
{
  GtkWidget     *from;        /* weak */
  EpsimoSession *session;
  EpsimoProject *project;
  char          *name;        /* as confirmed, for the toast */
  gboolean       responded;
} FlowData;

static void
flow_data_free (FlowData *data)
{
  g_clear_weak_pointer (&data->from);
  g_clear_object (&data->session);
  g_clear_object (&data->project);
  g_free (data->name);
  g_free (data);
}

static void
toast (FlowData   *data,
       const char *message)
{
  if (data->from != NULL)
    gtk_widget_activate_action (data->from, "win.toast", "s", message);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FlowData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!epsimo_projects_service_delete_finish (EPSIMO_PROJECTS_SERVICE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message =
            g_strdup_printf (_("Could not delete “%s”: %s"), data->name, error->message);

          toast (data, message);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_task_return_error_if_cancelled (task))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” deleted"), data->name);

      toast (data, message);
      g_task_return_boolean (task, TRUE);
    }
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  GTask *task = user_data;
  FlowData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (data->responded)
    return;
  data->responded = TRUE;

  if (g_strcmp0 (response, "delete") != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The user kept the project");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  epsimo_projects_service_delete_async (epsimo_session_get_projects (data->session),
                                        epsimo_project_get_id (data->project),
                                        cancellable, delete_cb, g_object_ref (task));
}

/* The dialog holds the task until it goes away; a dialog destroyed without an answer
 * (its window closed) ends the flow as declined, so the caller always hears back. */
static void
release_task (gpointer  user_data,
              GClosure *closure)
{
  g_autoptr(GTask) task = user_data;
  FlowData *data = g_task_get_task_data (task);

  if (!data->responded)
    {
      data->responded = TRUE;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The confirmation was dismissed");
    }
}

void
epsimo_project_delete_flow_async (GtkWidget           *from,
                                  EpsimoSession       *session,
                                  EpsimoProject       *project,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FlowData *data;
  GtkRoot *root;
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (from));
  g_return_if_fail (EPSIMO_IS_SESSION (session));
  g_return_if_fail (EPSIMO_IS_PROJECT (project));
  g_return_if_fail (epsimo_project_get_id (project) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_project_delete_flow_async);

  data = g_new0 (FlowData, 1);
  g_set_weak_pointer (&data->from, from);
  data->session = g_object_ref (session);
  data->project = g_object_ref (project);
  data->name = g_strdup (epsimo_project_get_name (project));
  g_task_set_task_data (task, data, (GDestroyNotify) flow_data_free);

  root = gtk_widget_get_root (from);
  dialog = epsimo_project_delete_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                             project);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response),
                         g_object_ref (task), release_task, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
epsimo_project_delete_flow_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_project_delete_flow_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
