package io.vigil.scoring.app.access;

import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.access.ApiKeyPrincipal;
import java.util.Set;

/** Who asks: a platform's API key or a signed-in user (nurse or operator). */
public sealed interface Caller {
  /** The API key id or the user name: safe to log and audit (never a secret). */
  String id();

  /** The tenants whose patients this caller may ask about at all. */
  Set<String> tenants();

  /** A platform's API key, bound to one tenant, with its scopes. */
  record ApiKey(ApiKeyPrincipal principal) implements Caller {
    @Override
    public String id() {
      return principal.keyId();
    }

    @Override
    public Set<String> tenants() {
      return Set.of(principal.tenant());
    }
  }

  /**
   * A signed-in user: their care teams as {@code tenant/team} (a nurse's all of one tenant; an
   * operator's may span tenants).
   */
  record User(String name, Set<String> teams) implements Caller {
    @Override
    public String id() {
      return name;
    }

    @Override
    public Set<String> tenants() {
      return TeamKeys.tenantsOf(teams);
    }
  }
}
