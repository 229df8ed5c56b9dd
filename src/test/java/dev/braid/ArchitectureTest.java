package dev.braid;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package table of DEVELOPERS.md as rules. A new package, or a new arrow between two, is a
 * change to that table first and to this test second.
 */
@AnalyzeClasses(packages = "dev.braid", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] PACKAGES = {
    "manifest", "analysis", "plan", "store", "git", "agent", "run", "observe", "export", "cli"
  };

  /** Each package imports only the Braid packages its row lists (besides itself). */
  @ArchTest
  static final ArchRule packagesImportOnlyWhatTheTableAllows =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          // Packages are filled in over time; an empty one is not a violation.
          .withOptionalLayers(true)
          .layer("manifest")
          .definedBy("dev.braid.manifest..")
          .layer("analysis")
          .definedBy("dev.braid.analysis..")
          .layer("plan")
          .definedBy("dev.braid.plan..")
          .layer("store")
          .definedBy("dev.braid.store..")
          .layer("git")
          .definedBy("dev.braid.git..")
          .layer("agent")
          .definedBy("dev.braid.agent..")
          .layer("run")
          .definedBy("dev.braid.run..")
          .layer("observe")
          .definedBy("dev.braid.observe..")
          .layer("export")
          .definedBy("dev.braid.export..")
          .layer("cli")
          .definedBy("dev.braid.cli..")
          .whereLayer("manifest")
          .mayNotAccessAnyLayer()
          .whereLayer("analysis")
          .mayOnlyAccessLayers("manifest")
          .whereLayer("plan")
          .mayOnlyAccessLayers("manifest", "analysis")
          .whereLayer("store")
          .mayOnlyAccessLayers("manifest", "plan")
          .whereLayer("git")
          .mayOnlyAccessLayers("manifest")
          .whereLayer("agent")
          .mayOnlyAccessLayers("manifest", "analysis")
          .whereLayer("run")
          .mayOnlyAccessLayers("manifest", "analysis", "plan", "store", "git", "agent")
          .whereLayer("observe")
          .mayOnlyAccessLayers(
              "manifest", "analysis", "plan", "store", "git", "agent", "run", "observe")
          .whereLayer("export")
          .mayOnlyAccessLayers("manifest", "analysis", "plan")
          .whereLayer("cli")
          .mayNotBeAccessedByAnyLayer();

  /** The CLI is the thin front; the core never reaches back into it. */
  @ArchTest
  static final ArchRule nothingImportsCli =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.braid.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.braid.cli..")
          .allowEmptyShould(true);

  /** The scheduler is driven by the simulator and the runner alike, so it cannot know either. */
  @ArchTest
  static final ArchRule planNeverImportsRun =
      noClasses()
          .that()
          .resideInAPackage("dev.braid.plan..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.braid.run..")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("dev.braid.(*)..").should().beFreeOfCycles().allowEmptyShould(true);

  /** Every class lives in a package of the table, so none escapes the rules above. */
  @ArchTest
  static final ArchRule everyClassIsInAPackageOfTheTable =
      classes()
          .that()
          .resideInAPackage("dev.braid..")
          .should()
          .resideInAnyPackage(withSubpackages(PACKAGES));

  private static String[] withSubpackages(String... names) {
    String[] patterns = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      patterns[i] = "dev.braid." + names[i] + "..";
    }
    return patterns;
  }
}
