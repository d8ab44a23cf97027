package io.jvmroute.deploy.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The scenario numbers of issue 11 a test method proves, for the summary lines and the matrix. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Scenario {
    String[] value();

    /** Whether it is about the balancer in front (parameterized tests name theirs; others use jvmroute's). */
    boolean aboutBalancer() default true;
}
