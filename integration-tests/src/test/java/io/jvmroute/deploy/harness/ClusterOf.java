package io.jvmroute.deploy.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** How many nodes the shared cluster a test class gets has, and its balancers (2 and all three unless it says otherwise). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ClusterOf {
    int nodes();

    Front[] fronts() default {Front.JVMROUTE, Front.APACHE_MOD_JK, Front.HAPROXY};
}
