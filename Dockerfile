# Medallion Lake's image: the `lake` command on Node 20, production dependencies only, run as a
# non-root user. Targets:
#   runtime  `lake` with no project inside: mount one at /project (compose.yaml does)
#   task     runtime + a project folder (build arg PROJECT) and its lake.json (build arg LAKE_JSON):
#            what the CDK app deploys to Fargate
# test/infra/package-install.test.ts installs the same package the same way without Docker.

# Build: compile TypeScript and pack the package exactly as npm publishes it.
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schema ./schema
COPY templates ./templates
RUN npm pack --pack-destination /tmp \
  && mkdir /app \
  && tar -xzf /tmp/medallion-lake-*.tgz -C /app --strip-components=1

# Production dependencies only, the versions the lockfile names (the package's own prepare script,
# a TypeScript build, is not run: dist/ comes from the pack).
FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY --from=build /app ./
COPY package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm package-lock.json \
  && chmod 755 dist/cli/main.js \
  && npm cache clean --force

# Runtime: Node and the package; `lake` is the entrypoint, a non-root user runs it.
FROM node:20.20-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="medallion-lake" \
      org.opencontainers.image.description="lake: CSV drops in, Bronze/Silver/Gold Delta tables out"
ENV NODE_ENV=production
COPY --from=deps /app /opt/medallion-lake
RUN groupadd --system lake \
  && useradd --system --gid lake --create-home --home-dir /home/lake lake \
  && mkdir /project \
  && chown lake:lake /project \
  && ln -s /opt/medallion-lake/dist/cli/main.js /usr/local/bin/lake
USER lake
WORKDIR /project
ENTRYPOINT ["lake"]
CMD ["run"]

# The deployed task: the project baked in, its lake.json pointing at the stack's buckets.
FROM runtime AS task
ARG PROJECT=templates/retail
ARG LAKE_JSON
COPY --chown=lake:lake ${PROJECT} /project
RUN test -n "${LAKE_JSON}" && printf '%s' "${LAKE_JSON}" > /project/lake.json
