/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* JWT-shaped tokens (HS256 over a random per-process secret). */

typedef struct _EpsimoTsTokens EpsimoTsTokens;

typedef struct
{
  char    *sub;
  char    *project_id;
  gboolean is_project;
  gint64   exp;
} EpsimoTsClaims;

EpsimoTsTokens *epsimo_ts_tokens_new          (gint64          ttl_seconds);
void            epsimo_ts_tokens_free         (EpsimoTsTokens *tokens);
gint64          epsimo_ts_tokens_get_ttl      (EpsimoTsTokens *tokens);
char           *epsimo_ts_tokens_issue        (EpsimoTsTokens *tokens,
                                               const char     *user_id,
                                               const char     *project_id);
gboolean        epsimo_ts_tokens_verify       (EpsimoTsTokens *tokens,
                                               const char     *token,
                                               EpsimoTsClaims *claims);
void            epsimo_ts_tokens_revoke_all   (EpsimoTsTokens *tokens);
void            epsimo_ts_claims_clear        (EpsimoTsClaims *claims);

G_END_DECLS
