package io.tandem.core.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Builds one {@link Lab} per test class (before {@code @BeforeAll}) and keeps it
 * in the class's extension store, which JUnit closes after the class, whatever
 * the tests did; {@code Lab} parameters are resolved to it. Nested classes share
 * their outer class's lab. Labs left by earlier runs that were killed are
 * removed first ({@link Lab#cleanupStale()}).
 *
 * <p>Use it through {@link WithLab}, or register it with options of your own:
 * <pre>
 * &#64;LabTest
 * class MyTest {
 *     &#64;RegisterExtension
 *     static final LabExtension LAB = new LabExtension(() -> LabOptions.defaults().withRealServers(5));
 * }
 * </pre>
 */
public final class LabExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LabExtension.class);

    private final Supplier<LabOptions> options;

    /** Options from the class's {@link WithLab}, or {@link LabOptions#defaults()}. */
    public LabExtension() {
        this.options = null;
    }

    public LabExtension(Supplier<LabOptions> options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        labFor(context);
    }

    /** The lab of this class or an enclosing one (store lookups climb to the parents), else a new one. */
    private Lab labFor(ExtensionContext context) {
        Lab existing = context.getStore(STORE).get(Lab.class, Lab.class);
        if (existing != null) {
            return existing;
        }
        return classContext(context).getStore(STORE)
                .getOrComputeIfAbsent(Lab.class, key -> build(context, options), Lab.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static Lab build(ExtensionContext context, Supplier<LabOptions> supplied) {
        LabOptions chosen = supplied != null ? supplied.get() : fromAnnotation(context);
        try {
            LabRegistry.at(chosen.recordDirectory()).cleanupStale();
            return Lab.create(chosen);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the lab for " + context.getDisplayName(), e);
        }
    }

    private static LabOptions fromAnnotation(ExtensionContext context) {
        LabOptions defaults = LabOptions.defaults();
        return context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, WithLab.class))
                .map(w -> defaults.withRealServers(w.realServers()).withDirectors(w.directors()))
                .orElse(defaults);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return parameter.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return labFor(context);
    }
}
