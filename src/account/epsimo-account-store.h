/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The keyring side of accounts (libsecret; the Secret portal inside Flatpak). One entry per
 * (server, email) for the password, one for the current user token with its expiry, and
 * one per project opened for its token (a start reopening it lists its threads at once,
 * without asking for the token first). Nothing secret ever goes anywhere else. */

typedef struct
{
  char *server;
  char *email;
} EpsimoAccountId;

EpsimoAccountId *epsimo_account_id_new  (const char      *server,
                                         const char      *email);
void             epsimo_account_id_free (EpsimoAccountId *id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoAccountId, epsimo_account_id_free)

/* Stores the password of (server, email). */
void      epsimo_account_store_save_password_async   (const char           *server,
                                                      const char           *email,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean  epsimo_account_store_save_password_finish  (GAsyncResult         *result,
                                                      GError              **error);

/* The stored password of (server, email), or NULL (and no error) when there is none. */
void      epsimo_account_store_lookup_password_async (const char           *server,
                                                      const char           *email,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char     *epsimo_account_store_lookup_password_finish (GAsyncResult        *result,
                                                       GError             **error);

/* Stores the user token of (server, email) with its expiry (Unix seconds, 0 if unknown). */
void      epsimo_account_store_save_token_async      (const char           *server,
                                                      const char           *email,
                                                      const char           *token,
                                                      gint64                expires_at,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean  epsimo_account_store_save_token_finish     (GAsyncResult         *result,
                                                      GError              **error);

/* Stores the token of @project_id for (server, email), in place of its earlier one. */
void      epsimo_account_store_save_project_token_async  (const char       *server,
                                                          const char       *email,
                                                          const char       *project_id,
                                                          const char       *token,
                                                          gint64            expires_at,
                                                          GCancellable     *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer          user_data);
gboolean  epsimo_account_store_save_project_token_finish (GAsyncResult     *result,
                                                          GError          **error);

/* The stored token of (server, email) if it is still valid for a minute, else NULL; with
 * @project_id, also that project's stored token in @project_token under the same rule
 * (both in one visit to the keyring, which the start of the app waits for). */
void      epsimo_account_store_lookup_token_async    (const char           *server,
                                                      const char           *email,
                                                      const char           *project_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char     *epsimo_account_store_lookup_token_finish   (GAsyncResult         *result,
                                                      char                **project_token,
                                                      GError              **error);

/* Forgets every keyring entry of (server, email): password and tokens. */
void      epsimo_account_store_forget_async          (const char           *server,
                                                      const char           *email,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean  epsimo_account_store_forget_finish         (GAsyncResult         *result,
                                                      GError              **error);

/* Every account with a stored password, sorted by server then email: a GPtrArray of
 * EpsimoAccountId. */
void       epsimo_account_store_list_async           (GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray *epsimo_account_store_list_finish          (GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
