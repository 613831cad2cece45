package dev.mqttsidecar.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.mqttsidecar.broker.server.EmbeddedBroker;
import org.junit.jupiter.api.Test;

/**
 * The broker's layering, checked on its compiled classes: the public API and the assembly at the
 * edges, no package cycles inside, and the storage engine behind the persistence API.
 */
class BrokerArchitectureTest {
  private static final JavaClasses BROKER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mqttsidecar.broker");

  @Test
  void internalPackagesHaveNoCycles() {
    slices()
        .matching("dev.mqttsidecar.broker.(**)")
        .should()
        .beFreeOfCycles()
        // Broker.create is the API's one way in; everything else points the other way.
        .ignoreDependency(Broker.class, EmbeddedBroker.class)
        .check(BROKER);
  }

  @Test
  void theApiDependsOnNothingInternalButItsFactory() {
    noClasses()
        .that()
        .resideInAPackage("dev.mqttsidecar.broker")
        .and()
        .doNotBelongToAnyOf(Broker.class)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.mqttsidecar.broker.(*)..")
        .check(BROKER);
  }

  @Test
  void onlyTheAssemblyKnowsTheStorageEngine() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.mqttsidecar.broker.persistence.rocksdb..", "dev.mqttsidecar.broker.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.mqttsidecar.broker.persistence.rocksdb..")
        .check(BROKER);
  }

  @Test
  void onlyTheAssemblyKnowsTheAssembly() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.mqttsidecar.broker.server..")
        .and()
        .doNotBelongToAnyOf(Broker.class)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.mqttsidecar.broker.server..")
        .check(BROKER);
  }

  @Test
  void theCoreDoesNotKnowItsTransport() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.mqttsidecar.broker.core..",
            "dev.mqttsidecar.broker.session..",
            "dev.mqttsidecar.broker.subscription..",
            "dev.mqttsidecar.broker.retained..",
            "dev.mqttsidecar.broker.persistence..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.mqttsidecar.broker.transport..", "dev.mqttsidecar.broker.codec..")
        .check(BROKER);
  }

  @Test
  void sessionsDoNotKnowWhoRoutesToThem() {
    noClasses()
        .that()
        .resideInAPackage("dev.mqttsidecar.broker.session..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.mqttsidecar.broker.core..",
            "dev.mqttsidecar.broker.subscription..",
            "dev.mqttsidecar.broker.retained..")
        .check(BROKER);
  }

  @Test
  void nettyStaysInTheTransportAndCodec() {
    classes()
        .that()
        .resideInAnyPackage(
            "dev.mqttsidecar.broker",
            "dev.mqttsidecar.broker.core..",
            "dev.mqttsidecar.broker.session..",
            "dev.mqttsidecar.broker.subscription..",
            "dev.mqttsidecar.broker.retained..",
            "dev.mqttsidecar.broker.persistence..")
        .should()
        .onlyDependOnClassesThat()
        .resideOutsideOfPackage("io.netty..")
        .check(BROKER);
  }
}
