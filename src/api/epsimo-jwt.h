/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * epsimo_jwt_get_expiry:
 * @token: (nullable): a JSON Web Token (`header.payload.signature`)
 *
 * Reads the `exp` claim of @token without verifying the signature: the
 * client only uses it to renew a token shortly before the server refuses it.
 *
 * Returns: the expiry in seconds since the Unix epoch, or 0 when @token is
 *   not a JWT or carries no usable `exp`
 */
gint64 epsimo_jwt_get_expiry (const char *token);

G_END_DECLS
