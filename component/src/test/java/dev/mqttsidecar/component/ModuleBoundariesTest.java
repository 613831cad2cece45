package dev.mqttsidecar.component;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The boundaries between the modules, checked on their compiled main classes: the Dapr adapters
 * reach the broker only through its public API, and the two Dapr services share what they share
 * without reaching into each other's gRPC code.
 */
class ModuleBoundariesTest {
  private static final JavaClasses ADAPTERS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mqttsidecar.state", "dev.mqttsidecar.component");

  @Test
  void adaptersUseOnlyTheBrokersPublicApi() {
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.mqttsidecar.broker..")
                .and(
                    not(
                        // tls: the reloading TLS context, shared with the HTTP server.
                        resideInAnyPackage(
                            "dev.mqttsidecar.broker",
                            "dev.mqttsidecar.broker.concurrent",
                            "dev.mqttsidecar.broker.tls"))))
        .check(ADAPTERS);
  }

  @Test
  void pubSubDoesNotReachIntoTheStateStore() {
    noClasses()
        .that()
        .resideInAPackage("dev.mqttsidecar.component.pubsub..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.mqttsidecar.state..")
        .check(ADAPTERS);
  }

  @Test
  void theStateStoreDoesNotKnowTheSidecar() {
    noClasses()
        .that()
        .resideInAPackage("dev.mqttsidecar.state..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.mqttsidecar.component..")
        .check(ADAPTERS);
  }
}
