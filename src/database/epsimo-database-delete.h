/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "api/epsimo-database-service.h"

G_BEGIN_DECLS

/* Deleting a key of the virtual database. Only servers speaking the reference dialect have
 * DELETE /db/{project}/{thread}/{key}; the live backend has no way to delete a key. This
 * belongs in EpsimoDatabaseService (it is written against its client so it can move there
 * unchanged). */

/* Whether @service's server can delete keys: FALSE until its dialect is known. */
gboolean epsimo_database_can_delete_key     (EpsimoDatabaseService  *service);

/**
 * epsimo_database_delete_key_async:
 *
 * Reference DELETE /db/{project}/{thread}/{key}. On a live server nothing is sent and the
 * call fails with %EPSIMO_API_ERROR_NOT_FOUND; a missing key is also NOT_FOUND.
 */
void     epsimo_database_delete_key_async   (EpsimoDatabaseService  *service,
                                             const char             *project_id,
                                             const char             *thread_id,
                                             const char             *key,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED when
 * cancelled) */
gboolean epsimo_database_delete_key_finish  (EpsimoDatabaseService  *service,
                                             GAsyncResult           *result,
                                             GError                **error);

G_END_DECLS
