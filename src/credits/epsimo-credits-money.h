/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An amount in euro cents as the user's locale writes money: its decimal separator and
 * digit grouping (LC_NUMERIC) and the sign where the translation puts it ("€80.00" in
 * English, "80,00 €" in French). Free with g_free(). */
char     *epsimo_credits_format_money       (gint64      cents);

/* Whether @url may be opened in the browser as a payment page: https, a host, and no
 * user name or password in it (which would disguise the real host). */
gboolean  epsimo_credits_is_payment_url     (const char *url);

G_END_DECLS
