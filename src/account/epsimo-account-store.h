/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The keyring side of accounts (libsecret; the Secret portal inside Flatpak). One entry per
 * (server, email) for the password, and one for the current user token with its expiry.
 * Nothing secret ever goes anywhere else. */

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

/* The stored token of (server, email) if it is still valid for a minute, else NULL. */
void      epsimo_account_store_lookup_token_async    (const char           *server,
                                                      const char           *email,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char     *epsimo_account_store_lookup_token_finish   (GAsyncResult         *result,
                                                      GError              **error);

/* Forgets every keyring entry of (server, email): password and token. */
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
