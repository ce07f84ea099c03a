/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-database-delete"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-api-error.h"

#include "epsimo-database-delete.h"

gboolean
epsimo_database_can_delete_key (EpsimoDatabaseService *service)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_SERVICE (service), FALSE);

  return epsimo_client_get_dialect (epsimo_database_service_get_client (service))
         == EPSIMO_DIALECT_REFERENCE;
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, NULL, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
epsimo_database_delete_key_async (EpsimoDatabaseService *service,
                                  const char            *project_id,
                                  const char            *thread_id,
                                  const char            *key,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  EpsimoClient *client;
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autofree char *project = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *escaped_key = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EPSIMO_IS_DATABASE_SERVICE (service));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (key != NULL && *key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (service, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_database_delete_key_async);

  client = epsimo_database_service_get_client (service);

  /* The live thread state has no delete; writing null would still leave the key. */
  if (epsimo_client_get_dialect (client) == EPSIMO_DIALECT_LIVE)
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND,
                               _("This server cannot delete keys"));
      return;
    }

  project = epsimo_request_escape (project_id);
  thread = epsimo_request_escape (thread_id);
  escaped_key = epsimo_request_escape (key);
  path = g_strconcat ("/db/", project, "/", thread, "/", escaped_key, NULL);

  /* Without a live form: the same request whatever the client learns of the server. */
  request = epsimo_request_new ("DELETE", path);
  epsimo_request_set_auth (request, EPSIMO_AUTH_PROJECT, project_id);
  epsimo_client_call_async (client, request, cancellable, delete_cb, g_steal_pointer (&task));
}

gboolean
epsimo_database_delete_key_finish (EpsimoDatabaseService  *service,
                                   GAsyncResult           *result,
                                   GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_SERVICE (service), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_database_delete_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
