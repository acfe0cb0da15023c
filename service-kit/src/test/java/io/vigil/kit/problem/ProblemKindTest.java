package io.vigil.kit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The problem types every service lists: what a client switches on. */
class ProblemKindTest {
  @Test
  void shouldNameTheTypeByItsSlugAndKeepStatusAndTitle() {
    ProblemKind type = ProblemKind.of("batch-too-large", 413, "Too many readings in one batch");
    assertEquals("urn:vigil:problem:batch-too-large", type.uri());
    assertEquals(413, type.status());
    assertEquals("Too many readings in one batch", type.title());
    assertEquals(ProblemKind.of("batch-too-large", 413, "Too many readings in one batch"), type);
  }

  @Test
  void shouldRefuseASlugThatIsNotLowerCaseWordsJoinedByHyphens() {
    for (String slug :
        new String[] {"Not-Found", "not found", "-gone", "gone-", "a--b", "", null}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ProblemKind.of(slug, 404, "Gone"));
      assertTrue(e.getMessage().contains("lower-case words"), e.getMessage());
    }
  }

  @Test
  void shouldRefuseAStatusThatIsNoErrorAndABlankTitle() {
    assertThrows(IllegalArgumentException.class, () -> ProblemKind.of("fine", 200, "Fine"));
    assertThrows(IllegalArgumentException.class, () -> ProblemKind.of("odd", 600, "Odd"));
    assertThrows(IllegalArgumentException.class, () -> ProblemKind.of("untitled", 400, " "));
  }
}
