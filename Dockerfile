# VARIABOT Web for a Hugging Face Space (Docker SDK) or any container host.
#
#   docker build -t variabot-web .
#   docker run --rm -p 7860:7860 -e HF_TOKEN=hf_... variabot-web     # http://localhost:7860
#
# The build needs no secret: HF_TOKEN is read by the server at run time (a Space's secrets are
# environment variables of the running container). See docs/deploy.md.
#
# The `runner` stage below is the contract that scripts/smoke-standalone.ts replays on the host
# (no Docker engine runs on the dev machines): it performs this stage's `COPY --from=builder`
# lines, sets its ENV, starts its CMD in its WORKDIR and runs its HEALTHCHECK. Keep that stage
# to those instructions (plus USER and EXPOSE) so the replay stays exact.

# One Node major for every stage; it must be in .github/workflows/ci.yml's matrix
# (tests/unit/deploy-config.test.ts checks).
ARG NODE_VERSION=20

# Dependencies, from the lockfile only: this layer is reused until package-lock.json changes.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

# `next build` with `output: "standalone"` (next.config.ts): .next/standalone holds server.js,
# the traced node_modules and the registry file.
FROM node:${NODE_VERSION}-bookworm-slim AS builder
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

# The image: the standalone server and nothing else; no npm, no dev dependencies, no sources.
FROM node:${NODE_VERSION}-bookworm-slim AS runner
WORKDIR /app
# HOSTNAME must be set: Docker sets it to the container id, and Next's server binds to it.
ENV NODE_ENV=production \
    PORT=7860 \
    HOSTNAME=0.0.0.0 \
    NEXT_TELEMETRY_DISABLED=1
# Owned by uid 1000 (the Space's user, `node` in this image) so Next can write .next/cache.
COPY --from=builder --chown=1000:1000 /app/.next/standalone ./
COPY --from=builder --chown=1000:1000 /app/.next/static ./.next/static
COPY --from=builder --chown=1000:1000 /app/public ./public
# Already traced into .next/standalone; copied by name so the image's registry is visible here.
# Operators replace it (or set MODELS_REGISTRY) to point the app at other Spaces.
COPY --from=builder --chown=1000:1000 /app/models.registry.json ./models.registry.json
USER 1000:1000
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 7860) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
