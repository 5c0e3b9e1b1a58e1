package io.warden.server.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares what a handler does, for the access decision: the verb, and the resource it acts on
 * when the URL does not name one in a {@code {plural}} variable ({@code users}, {@code tokens}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {
    Verb value();

    String resource() default "";
}
